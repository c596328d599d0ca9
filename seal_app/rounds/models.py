"""Rounds (Vergaberunden): one call for applications a year."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.catalogue.models import CatalogueVersion
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Round(db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    submission_deadline: Mapped[date] = mapped_column(sa.Date)
    # Set by the office when known; shown to schools after submitting.
    review_until: Mapped[date | None] = mapped_column(sa.Date)
    decision_expected_on: Mapped[date | None] = mapped_column(sa.Date)
    catalogue_version: Mapped[str] = mapped_column(
        sa.ForeignKey("catalogue_versions.version", ondelete="RESTRICT")
    )
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus), default=RoundStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    catalogue: Mapped[CatalogueVersion] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN

    def accepts_submissions_on(self, day: date) -> bool:
        return self.is_open and day <= self.submission_deadline
