"""What is added to a visit's protocol after the reviews are submitted, and the photos taken
on the visit: appended with author and time, never changing what was written before."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from seal_app.db_types import UTCDateTime, utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, Visit


class _VisitEntry:
    """What an addition and a photo share: the visit, the author's assignment, the area (None:
    the whole visit) and when it was added."""

    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    area_code: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def visit(cls) -> Mapped[Visit]:
        return relationship(Visit)

    @declared_attr
    def assignment(cls) -> Mapped[Assignment]:
        return relationship(Assignment)


class VisitProtocolAddition(_VisitEntry, db.Model):
    """A text an assessor of the application added to the protocol of one area (or of the
    whole visit) after submitting their review. Never changed."""

    __tablename__ = "visit_protocol_additions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)


class VisitPhoto(_VisitEntry, db.Model):
    """A photo of the visit for one area (or the whole visit), stored without its location
    data, with a thumbnail made on the server beside it."""

    __tablename__ = "visit_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    caption: Mapped[str] = mapped_column(sa.Text)  # the alt text of the picture
    stored_name: Mapped[str] = mapped_column(sa.String(32), unique=True)
    thumbnail_name: Mapped[str] = mapped_column(sa.String(32), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))  # of the photo as kept
    thumbnail_sha256: Mapped[str] = mapped_column(sa.String(64))
    display_name: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column()
