"""Visits: additions to the protocol after the reviews, photos of the visit

Revision ID: 0015_visits
Revises: 0014_evidencezip
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_visits'
down_revision = '0014_evidencezip'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visit_protocol_additions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=16), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_visit_protocol_additions_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_protocol_additions_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_protocol_additions'))
    )
    with op.batch_alter_table('visit_protocol_additions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_protocol_additions_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_protocol_additions_visit_id'), ['visit_id'], unique=False)
    op.create_table('visit_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=16), nullable=True),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=32), nullable=False),
    sa.Column('thumbnail_name', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('thumbnail_sha256', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_visit_photos_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_photos_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_visit_photos_stored_name')),
    sa.UniqueConstraint('thumbnail_name', name=op.f('uq_visit_photos_thumbnail_name'))
    )
    with op.batch_alter_table('visit_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_photos_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_photos_visit_id'), ['visit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('visit_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_photos_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_photos_assignment_id'))
    op.drop_table('visit_photos')
    with op.batch_alter_table('visit_protocol_additions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_protocol_additions_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_protocol_additions_assignment_id'))
    op.drop_table('visit_protocol_additions')
