"""An application under review with two cleared assessors, their scores and reviews, built
directly in the database, for the tests of the visit and of the jury's meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CriterionAnswer,
)
from seal_app.applications.services import catalogue_of
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Recommendation, Review, Score, Visit
from seal_app.rounds.services import create_round
from tests.conftest import login


@dataclass
class Meeting:
    school_id: int
    application_id: int
    staff: str
    office: str
    first: str
    second: str
    first_assignment_id: int
    second_assignment_id: int


def build_meeting(app, make) -> Meeting:
    """Two cleared assessors (Anna Arndt, Bernd Brandt), nothing scored yet; the school rated
    every criterion 2."""
    school_id = make.school(number="75001", name="Grundschule am Wall")
    staff = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_id,))
    office = make.user(Role.OFFICE, "buero@example.org", name="Bea Büro")
    first = make.user(Role.ASSESSOR, "arndt@example.org", name="Anna Arndt")
    second = make.user(Role.ASSESSOR, "brandt@example.org", name="Bernd Brandt")
    with app.app_context():
        round_ = create_round(
            date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None
        )
        application = submitted_application(school_id, round_.id)
        ids = [assign(application.id, make.user_id(email)) for email in (first, second)]
        db.session.commit()
        return Meeting(school_id, application.id, staff, office, first, second, *ids)


def submitted_application(school_id: int, round_id: int, self_rating: int = 2) -> Application:
    """An application under review, the school's self-rating the same for every criterion
    (inside an app context; flushed, not committed)."""
    application = Application(
        school_id=school_id,
        round_id=round_id,
        kind=ApplicationKind.FIRST,
        status=ApplicationStatus.IN_REVIEW,
        submitted_at=utcnow(),
    )
    db.session.add(application)
    db.session.flush()
    for criterion in catalogue_of(application).criteria:
        application.answers.append(
            CriterionAnswer(criterion_code=criterion.code, self_rating=self_rating, measures="x")
        )
    return application


def assign(application_id: int, assessor_id: int, state=ConflictState.NONE) -> int:
    assignment = Assignment(
        application_id=application_id,
        assessor_id=assessor_id,
        conflict_state=state,
        due_on=date.today() + timedelta(days=30),
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment.id


def submit_review(
    app,
    assignment_id: int,
    levels: dict[str, int] | None = None,
    default: int = 2,
    recommendation: Recommendation = Recommendation.AWARD,
    summary: str = "Überzeugendes Konzept.",
) -> None:
    """Score every criterion (``levels`` overrides the default) and submit the review."""
    levels = levels or {}
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        for criterion in catalogue_of(assignment.application).criteria:
            level = levels.get(criterion.code, default)
            assignment.scores.append(
                Score(criterion_code=criterion.code, level=level, comment=f"Kommentar {level}")
            )
        assignment.review = Review(
            recommendation=recommendation, summary=summary, submitted_at=utcnow()
        )
        db.session.commit()


def client_of(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def audit_details(app, action: str) -> list[dict]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEntry.details)
                .where(AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        )


def visit_day_has_come(app, hours_ago: int = 1) -> None:
    """Move the planned visit into the past: protocols are written from the visit day on (the
    office cannot plan a visit in the past)."""
    with app.app_context():
        for visit in db.session.scalars(sa.select(Visit)):
            visit.starts_at = (utcnow() - timedelta(hours=hours_ago)).replace(microsecond=0)
        db.session.commit()
