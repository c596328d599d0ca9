"""A CSV of paper-era seals between the office's preview and its confirmation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from seal_app.db_types import UTCDateTime, utcnow
from seal_app.extensions import db


class PendingSealImport(db.Model):
    """The uploaded file as it was previewed, kept for the office user who uploaded it until
    they import it (or for an hour): the confirmation names it by a random token, never by a
    path, and imports exactly the bytes that were shown. After the import it stays, for the
    result page, until the user uploads another file or the hour has passed."""

    __tablename__ = "pending_seal_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # after „Importieren“: when, and the numbers it imported; the page then shows the result
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_numbers: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
