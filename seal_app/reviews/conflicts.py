"""An assessor's declaration of a conflict of interest („befangen“) for an assignment."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
)
from seal_app.reviews.scoring import ScoringError


def declare(assignment: Assignment, conflict: bool, reason: str, actor: User) -> None:
    """Record the assessor's declaration: once, never changed by them afterwards.

    One conditional UPDATE, so that two declarations sent at the same moment cannot both
    count: the second finds the assignment declared and is refused.
    """
    reason = reason.strip() if conflict else ""
    if conflict and not reason:
        raise ScoringError(_("Bitte nennen Sie den Grund Ihrer Befangenheit."))
    state = ConflictState.CONFLICT if conflict else ConflictState.NONE
    declared_at = utcnow()
    result = db.session.execute(
        sa.update(Assignment)
        .where(
            Assignment.id == assignment.id,
            Assignment.conflict_state == ConflictState.PENDING,
        )
        .values(conflict_state=state, conflict_reason=reason, declared_at=declared_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ScoringError(
            _(
                "Sie haben Ihre Erklärung zu diesem Antrag schon abgegeben. Ändern kann sie "
                "nur die Geschäftsstelle."
            )
        )
    db.session.refresh(assignment)
    record(
        "assignment.declared",
        assignment,
        actor,
        application_id=assignment.application_id,
        state=state.value,
        reason=reason,
    )
