"""Catalogue versions in use: the exact text a round was started with, so it cannot change."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from seal_app.db_types import UTCDateTime, utcnow
from seal_app.extensions import db


class CatalogueVersion(db.Model):
    __tablename__ = "catalogue_versions"

    version: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    source_name: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[str] = mapped_column(sa.Text)
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
