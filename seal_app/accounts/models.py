"""Requests for access that schools send through the public form."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.auth.models import User
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db
from seal_app.schools.models import Position, School


class AccessRequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class AccessRequest(db.Model):
    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[Position] = mapped_column(enum_column(Position))
    email: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[AccessRequestStatus] = mapped_column(
        enum_column(AccessRequestStatus), default=AccessRequestStatus.PENDING, index=True
    )
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    school: Mapped[School] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
