"""Catalogue versions in the database: the exact text a round was started with, so it cannot
change, and the versions the office added by uploading a file (their only home)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.auth.models import User
from seal_app.db_types import UTCDateTime
from seal_app.extensions import db


class CatalogueVersion(db.Model):
    __tablename__ = "catalogue_versions"

    version: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    source_name: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[str] = mapped_column(sa.Text, deferred=True)  # read when parsed
    # None: uploaded, but no round has used it yet
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set for a version the office uploaded; None for a file of criteria/ locked by a round.
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    uploaded_by: Mapped[User | None] = relationship()

    @property
    def uploaded(self) -> bool:
        return self.uploaded_at is not None
