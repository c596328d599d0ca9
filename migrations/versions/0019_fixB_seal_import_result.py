"""The paper-era seal import keeps its result: when it was imported and the numbers imported

Revision ID: 0019_fixB
Revises: 0018_settle
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_fixB'
down_revision = '0018_settle'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pending_seal_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('imported_numbers', sa.JSON(), server_default='[]', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('pending_seal_imports', schema=None) as batch_op:
        batch_op.drop_column('imported_numbers')
        batch_op.drop_column('imported_at')
