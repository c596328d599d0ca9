"""Assigning assessors to applications, one by one or by applying a proposal of the board
(``assignment_board``), and taking assignments back. Applying a proposal writes everything in
one transaction; two offices applying the same proposal at once are told apart by the unique
(application, assessor) constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.audit.services import record
from seal_app.auth.models import Role, User
from seal_app.certificates.models import decision_taken
from seal_app.extensions import db
from seal_app.notifications import messages
from seal_app.reviews.assignment_board import REVIEWABLE, Proposal, conflicted_schools
from seal_app.reviews.models import Assignment, ConflictState, Score
from seal_app.rounds.models import Round


class AssignmentError(Exception):
    """A rule was broken; the message is for the office, shown at ``field`` of the form."""

    def __init__(self, message: str, field: str = "assessor") -> None:
        super().__init__(message)
        self.field = field


def apply_proposal(proposal: Proposal, due_on: date, today: date, actor: User) -> int:
    """Create every proposed assignment; the number created."""
    _require_due_date(due_on, today)
    for application, assessor in proposal.pairs:
        _create(application, assessor, due_on, actor)
    return len(proposal.pairs)


def assign(
    application: Application, assessor_id: int | None, due_on: date, today: date, actor: User
) -> Assignment:
    """Assign one assessor to an application, with a due date."""
    _require_reviewable(application)
    assessor = db.session.get(User, assessor_id) if assessor_id is not None else None
    if assessor is None or assessor.role is not Role.ASSESSOR or not assessor.is_enabled:
        raise AssignmentError(_("Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."))
    _require_due_date(due_on, today)
    already = db.session.scalar(
        sa.select(Assignment.id).where(
            Assignment.application_id == application.id, Assignment.assessor_id == assessor.id
        )
    )
    if already is not None:
        raise AssignmentError(
            _("%(name)s ist diesem Antrag bereits zugewiesen.", name=assessor.name)
        )
    if (assessor.id, application.school_id) in conflicted_schools(application.round_id):
        raise AssignmentError(
            _(
                "%(name)s hat bei dieser Schule Befangenheit erklärt und kann sie nicht "
                "begutachten.",
                name=assessor.name,
            )
        )
    return _create(application, assessor, due_on, actor)


def _create(application: Application, assessor: User, due_on: date, actor: User) -> Assignment:
    _require_reviewable(application)
    assignment = Assignment(
        application=application, assessor=assessor, due_on=due_on, created_by_id=actor.id
    )
    db.session.add(assignment)
    details = {}
    if application.status is ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.IN_REVIEW
        details["status"] = ApplicationStatus.IN_REVIEW.value
    db.session.flush()  # a second assignment of the same assessor fails here, in the database
    record(
        "assignment.created",
        assignment,
        actor,
        application_id=application.id,
        assessor=assessor.name,
        assessor_id=assessor.id,
        due_date=due_on.isoformat(),
        **details,
    )
    messages.assigned(assignment)
    return assignment


@dataclass(frozen=True)
class Dropped:
    """What removing an assignment deletes with it."""

    scores: int
    review: str | None  # "draft", "submitted" or None


def dropped_with(assignment: Assignment) -> Dropped:
    scores = db.session.scalar(
        sa.select(sa.func.count()).select_from(Score).where(Score.assignment_id == assignment.id)
    )
    review = assignment.review
    state = None if review is None else ("submitted" if review.is_submitted else "draft")
    return Dropped(scores=scores or 0, review=state)


def unassign(assignment: Assignment, actor: User) -> Dropped:
    """Remove an assignment with its scores and review; nothing of them stays visible."""
    application = assignment.application
    _require_reviewable(application)
    if assignment.conflict_state is ConflictState.CONFLICT:
        # The declaration is the record that keeps this assessor away from the school.
        raise AssignmentError(
            _(
                "Eine erklärte Befangenheit bleibt als Nachweis bestehen und zählt nicht mit. "
                "Weisen Sie stattdessen eine weitere Person zu."
            )
        )
    dropped = dropped_with(assignment)
    details: dict = {
        "application_id": application.id,
        "assessor": assignment.assessor.name,
        "assessor_id": assignment.assessor_id,
        "state": assignment.conflict_state.value,
        "dropped_scores": dropped.scores,
    }
    if dropped.review is not None:
        details["dropped_review"] = dropped.review
    record("assignment.removed", assignment, actor, **details)
    db.session.delete(assignment)
    db.session.flush()
    if application.status is ApplicationStatus.IN_REVIEW and not _has_assignments(application):
        application.status = ApplicationStatus.SUBMITTED  # waiting for assessors again
    return dropped


def _has_assignments(application: Application) -> bool:
    query = sa.select(Assignment.id).where(Assignment.application_id == application.id).limit(1)
    return db.session.scalar(query) is not None


def change_due_date(assignment: Assignment, due_on: date, today: date, actor: User) -> bool:
    """Set a new due date; False when it is the same as before (nothing recorded)."""
    _require_reviewable(assignment.application)
    _require_due_date(due_on, today)
    old = assignment.due_on
    if old == due_on:
        return False
    assignment.due_on = due_on
    record(
        "assignment.due_changed",
        assignment,
        actor,
        application_id=assignment.application_id,
        assessor=assignment.assessor.name,
        changes={"due_on": {"old": old.isoformat() if old else None, "new": due_on.isoformat()}},
    )
    return True


def _require_reviewable(application: Application) -> None:
    if application.status not in REVIEWABLE or decision_taken(application.id):
        raise AssignmentError(
            _(
                "Gutachterinnen und Gutachter lassen sich nur eingereichten Anträgen zuweisen, "
                "über die noch nicht entschieden ist."
            )
        )


def _require_due_date(due_on: date | None, today: date) -> None:
    if due_on is None:
        raise AssignmentError(_("Bitte geben Sie eine Frist an."), "due_on")
    if due_on < today:
        raise AssignmentError(_("Die Frist liegt in der Vergangenheit."), "due_on")


def default_due_date(round_: Round, today: date, days: int) -> date:
    """The round's review date if it is still ahead, else ``days`` from today."""
    if round_.review_until is not None and round_.review_until >= today:
        return round_.review_until
    return today + timedelta(days=days)
