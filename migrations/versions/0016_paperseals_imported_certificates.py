"""Certificates imported from the paper era: the school on every certificate, no application
or stored PDF for imported ones, longer numbers; renewals of an imported seal; the previewed
import file

Revision ID: 0016_paperseals
Revises: 0015_visits
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_paperseals'
down_revision = '0015_visits'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('imported', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('remark', sa.Text(), server_default='', nullable=False))
    op.execute(
        'UPDATE certificates SET school_id = (SELECT applications.school_id FROM applications '
        'WHERE applications.id = certificates.application_id)'
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('school_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('number', existing_type=sa.String(length=16), type_=sa.String(length=40), existing_nullable=False)
        batch_op.alter_column('application_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('stored_name', existing_type=sa.String(length=80), nullable=True)
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)
        batch_op.create_index(batch_op.f('ix_certificates_school_id'), ['school_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_certificates_school_id_schools'), 'schools', ['school_id'], ['id'], ondelete='RESTRICT')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_certificate_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_applications_previous_certificate_id_certificates'), 'certificates', ['previous_certificate_id'], ['id'], ondelete='SET NULL')
    op.create_table('pending_seal_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_seal_imports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_seal_imports')),
    sa.UniqueConstraint('token', name=op.f('uq_pending_seal_imports_token'))
    )
    with op.batch_alter_table('pending_seal_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_seal_imports_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_seal_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_seal_imports_user_id'))
    op.drop_table('pending_seal_imports')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_previous_certificate_id_certificates'), type_='foreignkey')
        batch_op.drop_column('previous_certificate_id')
    op.execute('DELETE FROM certificates WHERE application_id IS NULL')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_school_id_schools'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_certificates_school_id'))
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('stored_name', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('application_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('number', existing_type=sa.String(length=40), type_=sa.String(length=16), existing_nullable=False)
        batch_op.drop_column('remark')
        batch_op.drop_column('imported')
        batch_op.drop_column('school_id')
