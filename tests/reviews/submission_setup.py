"""A submitted application with two cleared assessors, built directly in the database, and
small helpers for the tests of requests for more and of submitting reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.applications.services import catalogue_of
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Score
from seal_app.rounds.services import create_round
from tests.conftest import login


@dataclass
class Jury:
    application_id: int
    staff: str
    office: str
    assessor: str
    second: str
    assignment_id: int
    second_assignment_id: int


def build_jury(app, make, status: ApplicationStatus = ApplicationStatus.IN_REVIEW) -> Jury:
    school_id = make.school(number="75001", name="Grundschule am Wall")
    staff = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_id,))
    office = make.user(Role.OFFICE, "buero@example.org", name="Bea Büro")
    assessor = make.user(Role.ASSESSOR, "jury@example.org", name="Jana Jury")
    second = make.user(Role.ASSESSOR, "zweite@example.org", name="Zora Zweit")
    with app.app_context():
        round_ = create_round(
            date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None
        )
        application = Application(
            school_id=school_id,
            round=round_,
            kind=ApplicationKind.FIRST,
            status=status,
            submitted_at=utcnow(),
        )
        db.session.add(application)
        db.session.flush()
        ids = [_assign(application.id, make.user_id(email)) for email in (assessor, second)]
        db.session.commit()
        return Jury(application.id, staff, office, assessor, second, ids[0], ids[1])


def _assign(application_id: int, assessor_id: int) -> int:
    assignment = Assignment(
        application_id=application_id,
        assessor_id=assessor_id,
        conflict_state=ConflictState.NONE,
        due_on=date.today() + timedelta(days=30),
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment.id


def client_of(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def score_all(app, assignment_id: int, level: int = 2, skip: tuple[str, ...] = ()) -> None:
    """Give every criterion without one a level (the scoring page writes the same rows)."""
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        scored = {score.criterion_code for score in assignment.scores}
        for criterion in catalogue_of(assignment.application).criteria:
            if criterion.code not in {*skip, *scored}:
                assignment.scores.append(Score(criterion_code=criterion.code, level=level))
        db.session.commit()


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def audit_details(app, action: str) -> list[dict]:
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return [
            {**entry.details, "actor_id": entry.actor_id} for entry in db.session.scalars(query)
        ]
