"""Submitted applications of one round and a few assessors, for the office's assignment pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.rounds.services import create_round

ASSESSOR_NAMES = ("Anna Arndt", "Ben Brandt", "Clara Claussen", "Dora Dahl")
SCHOOLS = ("Grundschule am Wall", "Regionale Schule Heidberg", "Gymnasium Sonnenberg")


@dataclass
class Round:
    round_id: int
    office: str
    staff: str
    assessor_emails: dict[str, str]  # name -> e-mail
    assessor_ids: dict[str, int]  # name -> user id
    application_ids: list[int]  # in the order of SCHOOLS
    school_ids: list[int]
    extra: dict = field(default_factory=dict)


def build_round(app, make, schools=SCHOOLS, assessors=ASSESSOR_NAMES) -> Round:
    """A round with one submitted application per school (by name), an office user, assessors."""
    school_ids = [
        make.school(number=f"7510{number}", name=name) for number, name in enumerate(schools)
    ]
    office = make.user(Role.OFFICE, "buero@example.org", name="Bea Büro")
    staff = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_ids[0],))
    emails = {
        name: make.user(Role.ASSESSOR, f"gutachter{number}@example.org", name=name)
        for number, name in enumerate(assessors)
    }
    with app.app_context():
        round_ = create_round(
            date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None
        )
        db.session.flush()
        applications = [
            Application(
                school_id=school_id,
                round_id=round_.id,
                kind=ApplicationKind.FIRST,
                status=ApplicationStatus.SUBMITTED,
                submitted_at=utcnow(),
            )
            for school_id in school_ids
        ]
        db.session.add_all(applications)
        db.session.commit()
        round_id, application_ids = round_.id, [item.id for item in applications]
    return Round(
        round_id=round_id,
        office=office,
        staff=staff,
        assessor_emails=emails,
        assessor_ids={name: make.user_id(email) for name, email in emails.items()},
        application_ids=application_ids,
        school_ids=school_ids,
    )


def add_assignment(
    app, application_id: int, assessor_id: int, state: ConflictState = ConflictState.PENDING
) -> int:
    with app.app_context():
        assignment = Assignment(
            application_id=application_id,
            assessor_id=assessor_id,
            conflict_state=state,
            conflict_reason="Meine Tochter geht dort zur Schule."
            if state is ConflictState.CONFLICT
            else "",
            due_on=date.today() + timedelta(days=14),
        )
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def assigned_names(app, application_id: int) -> list[str]:
    """The names of the application's assessors, sorted."""
    with app.app_context():
        assignments = db.session.scalars(
            sa.select(Assignment).where(Assignment.application_id == application_id)
        )
        return sorted(assignment.assessor.name for assignment in assignments)


def status_of(app, application_id: int) -> ApplicationStatus:
    with app.app_context():
        return db.session.get(Application, application_id).status


def set_status(app, application_id: int, status: ApplicationStatus) -> None:
    with app.app_context():
        db.session.get(Application, application_id).status = status
        db.session.commit()
