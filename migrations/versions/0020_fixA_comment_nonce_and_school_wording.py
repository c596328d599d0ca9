"""A comment keeps the one-time value of the form it came with; a decision keeps the
school's wording of each jury reason it shares

Revision ID: 0020_fixA
Revises: 0019_fixB
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_fixA'
down_revision = '0019_fixB'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('shared_texts', sa.JSON(), server_default='{}', nullable=False)
        )
    with op.batch_alter_table('discussion_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_nonce', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_discussion_comments_form_nonce'), ['form_nonce']
        )


def downgrade():
    with op.batch_alter_table('discussion_comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_discussion_comments_form_nonce'), type_='unique')
        batch_op.drop_column('form_nonce')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('shared_texts')
