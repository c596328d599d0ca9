"""A conflict of interest declared for the round when the assessor is already assigned to the
school: it counts for the assignment at once, as if declared there. Access to the application
ends everywhere (every check asks for ``ConflictState.NONE``), a submitted review no longer
counts for the consensus, the office is told; levels the jury already agreed stay, and the
consensus page asks the office to check them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.outbox import absolute_url, write
from seal_app.reviews.models import Assignment, ConflictState, JuryLevel, Review


def mark_conflicted(assignment: Assignment, reason: str, actor: User) -> None:
    """Record the round's declaration on the assignment: befangen, with its reason, now.

    One conditional UPDATE, so that a declaration on the assignment sent at the same moment
    and this one cannot both count."""
    previous = assignment.conflict_state
    declared_at = utcnow()
    result = db.session.execute(
        sa.update(Assignment)
        .where(Assignment.id == assignment.id, Assignment.conflict_state == previous)
        .values(
            conflict_state=ConflictState.CONFLICT, conflict_reason=reason, declared_at=declared_at
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(assignment)
    if result.rowcount != 1 or assignment.conflict_state is not ConflictState.CONFLICT:
        return
    record(
        "assignment.declared",
        assignment,
        actor,
        application_id=assignment.application_id,
        state=ConflictState.CONFLICT.value,
        reason=reason,
    )
    _tell_office(assignment)


def _tell_office(assignment: Assignment) -> None:
    application = assignment.application
    write(
        "assignment.conflict_after_assignment",
        f"assignment:{assignment.id}:conflict",
        current_app.config["OFFICE_EMAIL"],
        "conflict_after_assignment",
        assignment=assignment,
        application=application,
        review_submitted=_review_submitted(assignment),
        link=absolute_url("review_office.application", application_id=application.id),
    )


def _review_submitted(assignment: Assignment) -> bool:
    return (
        db.session.scalar(
            sa.select(Review.submitted_at).where(Review.assignment_id == assignment.id)
        )
        is not None
    )


@dataclass(frozen=True)
class DroppedReview:
    """A submitted review that stopped counting after levels had been agreed."""

    assessor: str
    declared_at: datetime


def dropped_after_agreement(application: Application) -> list[DroppedReview]:
    """Submitted reviews of the application whose assessor declared a conflict after the jury
    had agreed levels: those levels rest on a review that no longer counts."""
    first_agreed = db.session.scalar(
        sa.select(sa.func.min(JuryLevel.updated_at)).where(
            JuryLevel.application_id == application.id
        )
    )
    if first_agreed is None:
        return []
    rows = db.session.execute(
        sa.select(User.name, Assignment.declared_at)
        .join(User, User.id == Assignment.assessor_id)
        .join(Review, Review.assignment_id == Assignment.id)
        .where(
            Assignment.application_id == application.id,
            Assignment.conflict_state == ConflictState.CONFLICT,
            Assignment.declared_at >= first_agreed,
            Review.submitted_at.is_not(None),
        )
        .order_by(Assignment.declared_at)
    )
    return [DroppedReview(name, declared_at) for name, declared_at in rows]
