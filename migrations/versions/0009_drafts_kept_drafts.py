"""Kept drafts: a form's text sent after its login ended, kept for its owner

Revision ID: 0009_drafts
Revises: 0008_notify
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_drafts'
down_revision = '0008_notify'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('had_files', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kept_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_drafts'))
    )
    with op.batch_alter_table('kept_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_drafts_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_drafts_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_drafts_user_id'))
        batch_op.drop_index(batch_op.f('ix_kept_drafts_expires_at'))

    op.drop_table('kept_drafts')
