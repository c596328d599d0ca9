"""PAdES: signed feedback letters kept as documents of record; time-stamps to add later

Revision ID: 0011_pades
Revises: 0010_badges
Create Date: 2026-12-06

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_pades"
down_revision = "0010_badges"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feedback_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("timestamp_pending", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_feedback_letters_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_letters")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_feedback_letters_decision_id")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_feedback_letters_stored_name")),
    )
    for table in ("certificates", "receipts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "timestamp_pending", sa.Boolean(), server_default=sa.false(), nullable=False
                )
            )


def downgrade():
    for table in ("receipts", "certificates"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("timestamp_pending")
    op.drop_table("feedback_letters")
