"""Assignments of assessors to applications (scores and reviews build on these)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.db_types import UTCDateTime, utcnow
from seal_app.extensions import db


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (sa.UniqueConstraint("application_id", "assessor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    assessor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    assessor: Mapped[User] = relationship(foreign_keys=[assessor_id])
    application: Mapped[Application] = relationship()
