"""Open Badges credentials: the revocation status lists and each certificate's place

Revision ID: 0010_badges
Revises: 0009_drafts
Create Date: 2026-12-06

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_badges"
down_revision = "0009_drafts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "credential_status_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("bits", sa.LargeBinary(), nullable=False),
        sa.Column("signed", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_status_lists")),
    )
    op.create_table(
        "credential_status_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_credential_status_entries_certificate_id_certificates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["credential_status_lists.id"],
            name=op.f("fk_credential_status_entries_list_id_credential_status_lists"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_status_entries")),
        sa.UniqueConstraint(
            "certificate_id", name=op.f("uq_credential_status_entries_certificate_id")
        ),
        sa.UniqueConstraint(
            "list_id", "position", name=op.f("uq_credential_status_entries_list_id")
        ),
    )


def downgrade():
    op.drop_table("credential_status_entries")
    op.drop_table("credential_status_lists")
