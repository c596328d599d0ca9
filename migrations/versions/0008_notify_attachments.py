"""Attachments of outbox messages; the calendar sequence of a visit

Revision ID: 0008_notify
Revises: 0007
Create Date: 2026-12-01

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_notify"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_outbox_attachments_message_id_outbox_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attachments")),
    )
    with op.batch_alter_table("outbox_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attachments_message_id"), ["message_id"], unique=False
        )

    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("calendar_sequence")

    with op.batch_alter_table("outbox_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attachments_message_id"))

    op.drop_table("outbox_attachments")
