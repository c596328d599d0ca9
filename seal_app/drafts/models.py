"""A form's typed text kept after its POST arrived without a valid login."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from seal_app.db_types import UTCDateTime, utcnow
from seal_app.extensions import db


class KeptDraft(db.Model):
    """The text fields of one form, for its owner only, until saved, discarded or expired.

    ``fields`` is a JSON list of [name, value] pairs (a form may send a name more than once);
    never files, CSRF tokens or passwords.
    """

    __tablename__ = "kept_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(sa.String(500))
    fields: Mapped[str] = mapped_column(sa.Text)
    had_files: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
