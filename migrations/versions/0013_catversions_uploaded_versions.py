"""Catalogue versions added by the office: uploaded text, by whom; locked only once used

Revision ID: 0013_catversions
Revises: 0012_twofactor
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_catversions'
down_revision = '0012_twofactor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('catalogue_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('uploaded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_catalogue_versions_uploaded_by_id_users'), 'users', ['uploaded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.alter_column('locked_at', existing_type=sa.DateTime(timezone=True), nullable=True)


def downgrade():
    op.execute("DELETE FROM catalogue_versions WHERE locked_at IS NULL")
    with op.batch_alter_table('catalogue_versions', schema=None) as batch_op:
        batch_op.alter_column('locked_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_catalogue_versions_uploaded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('uploaded_by_id')
        batch_op.drop_column('uploaded_at')
