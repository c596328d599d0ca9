"""An evidence archive made by the task queue for one person: too large to make during the
request. Its file lies in ``EVIDENCE_ZIP_DIR`` under a random name for a day."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.applications.models import Application
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db


class ArchiveState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str(ARCHIVE_STATE_LABELS[self])

    @property
    def finished(self) -> bool:
        return self not in LIVE_ARCHIVE_STATES


LIVE_ARCHIVE_STATES = (ArchiveState.QUEUED, ArchiveState.RUNNING)
ARCHIVE_STATE_LABELS = {
    ArchiveState.QUEUED: _l("wartet auf den Hintergrunddienst"),
    ArchiveState.RUNNING: _l("wird erstellt"),
    ArchiveState.DONE: _l("fertig"),
    ArchiveState.FAILED: _l("fehlgeschlagen"),
}


class EvidenceArchive(db.Model):
    """All evidence of an application as one ZIP, asked for by one user and only for them;
    ``done`` of ``total`` files shows the progress."""

    __tablename__ = "evidence_archives"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ArchiveState] = mapped_column(
        enum_column(ArchiveState), default=ArchiveState.QUEUED
    )
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set at each step: a live archive quiet for long is taken as lost
    progressed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_stem: Mapped[str] = mapped_column(
        sa.String(40), unique=True, default=lambda: secrets.token_hex(16)
    )

    application: Mapped[Application] = relationship()
