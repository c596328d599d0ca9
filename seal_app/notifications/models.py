"""The outbox: every e-mail the app sends, as it was written, and what became of it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db


class MessageState(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (also between attempts)
    SENDING = "sending"  # a worker has taken it
    SENT = "sent"
    FAILED = "failed"  # refused by the mail server, or given up after the last attempt

    @property
    def label(self) -> str:
        return str(MESSAGE_STATE_LABELS[self])


MESSAGE_STATE_LABELS = {
    MessageState.QUEUED: _l("wartet"),
    MessageState.SENDING: _l("wird gesendet"),
    MessageState.SENT: _l("gesendet"),
    MessageState.FAILED: _l("fehlgeschlagen"),
}


class OutboxMessage(db.Model):
    """One e-mail to one recipient. ``event_key`` names the event it tells of (for example
    „password_reset:17“); it is unique, so each event is written, and sent, at most once."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(sa.String(50), index=True)
    event_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    cc: Mapped[str] = mapped_column(sa.String(254), default="")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[MessageState] = mapped_column(
        enum_column(MessageState), default=MessageState.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OutboxAttachment.id",
    )


class OutboxAttachment(db.Model):
    """A file sent with a message, stored as sent (a calendar entry, a receipt), so that every
    attempt sends the same bytes; deleted with its message (retention)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    # the full Content-Type, parameters included: „text/calendar; method=REQUEST; charset=utf-8“
    content_type: Mapped[str] = mapped_column(sa.String(200))
    size: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
