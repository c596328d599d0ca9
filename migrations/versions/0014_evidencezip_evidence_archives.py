"""Evidence archives made by the task queue for one person

Revision ID: 0014_evidencezip
Revises: 0013_catversions
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_evidencezip'
down_revision = '0013_catversions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_archives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='archivestate', native_enum=False, length=32), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('progressed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('file_stem', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evidence_archives_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_evidence_archives_requested_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_archives')),
    sa.UniqueConstraint('file_stem', name=op.f('uq_evidence_archives_file_stem'))
    )
    with op.batch_alter_table('evidence_archives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_archives_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_archives_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evidence_archives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_archives_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_archives_application_id'))

    op.drop_table('evidence_archives')
