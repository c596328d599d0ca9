"""The jury's discussion: comments per application

Revision ID: 0017_discussion
Revises: 0016_paperseals
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_discussion'
down_revision = '0016_paperseals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discussion_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sa.Enum('school', 'assessor', 'office', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_discussion_comments_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_comments_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_comments'))
    )
    with op.batch_alter_table('discussion_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_comments_announced_at'), ['announced_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_comments_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('discussion_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_comments_application_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_comments_announced_at'))

    op.drop_table('discussion_comments')
