"""Conflicts declared for a round before assignment; reasons of divergent criteria shared
in the feedback

Revision ID: 0018_settle
Revises: 0017_discussion
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_settle'
down_revision = '0017_discussion'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_round_conflicts_assessor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_conflicts_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_round_conflicts_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_conflicts')),
    sa.UniqueConstraint('round_id', 'assessor_id', 'school_id', name=op.f('uq_round_conflicts_round_id'))
    )
    with op.batch_alter_table('round_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_conflicts_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_conflicts_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_reasons', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('shared_reasons')

    with op.batch_alter_table('round_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_conflicts_round_id'))
        batch_op.drop_index(batch_op.f('ix_round_conflicts_assessor_id'))

    op.drop_table('round_conflicts')
