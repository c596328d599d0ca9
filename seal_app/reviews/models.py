"""The jury's records: assignments with conflict declarations, scores, reviews, visits with
their protocols, and the levels the jury agreed on."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db


class ConflictState(enum.StrEnum):
    """An assessor's declaration on an assignment (Befangenheit)."""

    PENDING = "pending"  # not declared yet: only school name, place and round are shown
    NONE = "none"  # "keine Befangenheit": full access
    CONFLICT = "conflict"  # access removed at once; the office reassigns

    @property
    def label(self) -> str:
        return str(CONFLICT_LABELS[self])


CONFLICT_LABELS = {
    ConflictState.PENDING: _l("noch nicht erklärt"),
    ConflictState.NONE: _l("keine Befangenheit"),
    ConflictState.CONFLICT: _l("befangen"),
}


class Assignment(db.Model):
    """An assessor asked to review an application, with a due date and their declaration."""

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
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    conflict_state: Mapped[ConflictState] = mapped_column(
        enum_column(ConflictState), default=ConflictState.PENDING
    )
    conflict_reason: Mapped[str] = mapped_column(sa.Text, default="")
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessor: Mapped[User] = relationship(foreign_keys=[assessor_id])
    application: Mapped[Application] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )
    review: Mapped[Review | None] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", uselist=False
    )

    @property
    def has_access(self) -> bool:
        """Whether the assessor may see the application beyond name, place and round."""
        return self.conflict_state is ConflictState.NONE

    def score_for(self, code: str) -> Score | None:
        return next((score for score in self.scores if score.criterion_code == code), None)


class RoundConflict(db.Model):
    """An assessor's conflict of interest with a school, declared for a round before any
    assignment: the office's proposal and its manual assignments leave the pair out."""

    __tablename__ = "round_conflicts"
    __table_args__ = (sa.UniqueConstraint("round_id", "assessor_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    assessor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    assessor: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Score(db.Model):
    """One assessor's level and comment for one criterion (a draft until the review is in)."""

    __tablename__ = "scores"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "criterion_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    criterion_code: Mapped[str] = mapped_column(sa.String(16))
    level: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[Assignment] = relationship(back_populates="scores")

    __mapper_args__ = {"version_id_col": version}


class Recommendation(enum.StrEnum):
    AWARD = "award"
    NOT_AWARD = "not_award"
    DEFER = "defer"

    @property
    def label(self) -> str:
        return str(RECOMMENDATION_LABELS[self])


RECOMMENDATION_LABELS = {
    Recommendation.AWARD: _l("verleihen"),
    Recommendation.NOT_AWARD: _l("nicht verleihen"),
    Recommendation.DEFER: _l("zurückstellen"),
}


class Review(db.Model):
    """An assessor's whole review: recommendation, summary, strengths, advice per area."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    recommendation: Mapped[Recommendation | None] = mapped_column(enum_column(Recommendation))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    strengths: Mapped[str] = mapped_column(sa.Text, default="")
    advice: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # area code -> advice text
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopen_reason: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[Assignment] = relationship(back_populates="review")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Visit(db.Model):
    """An on-site visit (Audit vor Ort) planned by the office."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.Text, default="")  # e.g. meeting point, for the school
    planned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # SEQUENCE of the calendar entry mailed for it: counts the changes told to the invited
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship()
    participants: Mapped[list[VisitParticipant]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    protocols: Mapped[list[VisitProtocol]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class VisitParticipant(db.Model):
    """A visiting assessor (through their assignment)."""

    __tablename__ = "visit_participants"
    __table_args__ = (sa.UniqueConstraint("visit_id", "assignment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )

    visit: Mapped[Visit] = relationship(back_populates="participants")
    assignment: Mapped[Assignment] = relationship()


class VisitProtocol(db.Model):
    """What one visiting assessor saw in one catalogue area."""

    __tablename__ = "visit_protocols"
    __table_args__ = (sa.UniqueConstraint("visit_id", "assignment_id", "area_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    area_code: Mapped[str] = mapped_column(sa.String(16))
    observed: Mapped[str] = mapped_column(sa.Text, default="")  # what they saw
    talked_to: Mapped[str] = mapped_column(sa.Text, default="")  # pupils, staff, partners
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    visit: Mapped[Visit] = relationship(back_populates="protocols")
    assignment: Mapped[Assignment] = relationship()

    __mapper_args__ = {"version_id_col": version}


class JuryLevel(db.Model):
    """The level the jury agreed on for one criterion in its meeting (consensus)."""

    __tablename__ = "jury_levels"
    __table_args__ = (sa.UniqueConstraint("application_id", "criterion_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    criterion_code: Mapped[str] = mapped_column(sa.String(16))
    level: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(sa.Text, default="")  # required when not the rounded mean
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
