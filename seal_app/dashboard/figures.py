"""The figures of the office's dashboard, as plain functions returning dataclasses.

Every figure is one SQL statement, whatever the number of applications, assignments or schools:
counts are grouped in the database, lists come back in one query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationStatus, EvidenceRequest
from seal_app.auth.models import Role, User
from seal_app.certificates import issuing, revocation
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from seal_app.local_time import local_zone
from seal_app.reviews.models import Assignment, ConflictState, Review
from seal_app.rounds.models import Round
from seal_app.rounds.services import open_round
from seal_app.schools.models import School, SchoolMembership


@dataclass(frozen=True)
class StateCount:
    status: ApplicationStatus
    count: int


@dataclass(frozen=True)
class WeekCount:
    """Submissions in one calendar week (Monday to Sunday, local time)."""

    monday: date
    count: int
    running_total: int

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week


@dataclass(frozen=True)
class AssessorLoad:
    """An assessor's assignments in the round, without those they declared a conflict for."""

    assessor_id: int
    name: str
    assigned: int
    submitted: int
    overdue: int  # due date passed, review not submitted


@dataclass(frozen=True)
class OverdueRequest:
    application_id: int
    school_name: str
    due_date: date
    days_overdue: int


@dataclass(frozen=True)
class SchoolWithoutAccount:
    school_id: int
    name: str
    town: str


@dataclass(frozen=True)
class RoundFigures:
    round: Round
    states: list[StateCount]  # every status, in the order of the road, zeros included
    weeks: list[WeekCount]
    loads: list[AssessorLoad]
    overdue_requests: list[OverdueRequest]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.states)

    @property
    def submitted_total(self) -> int:
        return self.weeks[-1].running_total if self.weeks else 0


@dataclass(frozen=True)
class Dashboard:
    today: date
    round: RoundFigures | None  # None: no round is open
    expiring: list[Certificate]
    valid_seals: int  # certificates valid today
    revoked: list[Certificate]  # revoked while they would still be valid
    schools_without_account: list[SchoolWithoutAccount]


def dashboard(today: date) -> Dashboard:
    round_ = open_round()
    return Dashboard(
        today=today,
        round=round_figures(round_, today) if round_ is not None else None,
        expiring=issuing.expiring(today),
        valid_seals=db.session.scalar(
            issuing.valid_on(today).with_only_columns(sa.func.count(Certificate.id))
        ),
        revoked=revocation.revoked_within_validity(today),
        schools_without_account=schools_without_account(),
    )


def round_figures(round_: Round, today: date) -> RoundFigures:
    return RoundFigures(
        round=round_,
        states=states(round_.id),
        weeks=submissions_per_week(round_, today),
        loads=assessor_loads(round_.id, today),
        overdue_requests=overdue_requests(round_.id, today),
    )


def states(round_id: int) -> list[StateCount]:
    query = (
        sa.select(Application.status, sa.func.count())
        .where(Application.round_id == round_id)
        .group_by(Application.status)
    )
    counts = {ApplicationStatus(status): count for status, count in db.session.execute(query)}
    return [StateCount(status, counts.get(status, 0)) for status in ApplicationStatus]


def submissions_per_week(round_: Round, today: date) -> list[WeekCount]:
    """Weeks from the first submission to the deadline's week (not past the current week),
    with the submissions of each week; empty while nothing is submitted.

    An application counts in the week it was (last) submitted; a withdrawn one no longer has a
    submission time. The times are read, not grouped in SQL: weeks are local calendar weeks,
    which SQLite and PostgreSQL would compute differently.
    """
    times = db.session.scalars(
        sa.select(Application.submitted_at).where(
            Application.round_id == round_.id, Application.submitted_at.is_not(None)
        )
    ).all()
    if not times:
        return []
    zone = local_zone()
    mondays = [_monday(moment.astimezone(zone).date()) for moment in times]
    last = max(min(_monday(round_.submission_deadline), _monday(today)), max(mondays))
    weeks, monday, running = [], min(mondays), 0
    while monday <= last:
        count = mondays.count(monday)
        running += count
        weeks.append(WeekCount(monday, count, running))
        monday += timedelta(days=7)
    return weeks


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def assessor_loads(round_id: int, today: date) -> list[AssessorLoad]:
    """Every enabled assessor (and any disabled one with work in the round), by name."""
    work = (
        sa.select(
            Assignment.assessor_id,
            Assignment.due_on,
            Review.submitted_at,
        )
        .join(Application, Assignment.application_id == Application.id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(
            Application.round_id == round_id,
            Assignment.conflict_state != ConflictState.CONFLICT,
        )
        .subquery()
    )
    submitted = work.c.submitted_at.is_not(None)
    overdue = sa.and_(work.c.due_on < today, work.c.submitted_at.is_(None))
    query = (
        sa.select(
            User.id,
            User.name,
            sa.func.count(work.c.assessor_id),
            sa.func.count(sa.case((submitted, 1))),
            sa.func.count(sa.case((overdue, 1))),
        )
        .outerjoin(work, work.c.assessor_id == User.id)
        .where(
            User.role == Role.ASSESSOR,
            sa.or_(User.is_enabled.is_(True), work.c.assessor_id.is_not(None)),
        )
        .group_by(User.id, User.name)
        .order_by(User.name, User.id)
    )
    return [AssessorLoad(*row) for row in db.session.execute(query)]


def overdue_requests(round_id: int, today: date) -> list[OverdueRequest]:
    """Requests for more evidence past their due date and not answered, oldest first."""
    query = (
        sa.select(EvidenceRequest.application_id, School.name, EvidenceRequest.due_date)
        .join(Application, EvidenceRequest.application_id == Application.id)
        .join(School, Application.school_id == School.id)
        .where(
            Application.round_id == round_id,
            EvidenceRequest.answered_at.is_(None),
            EvidenceRequest.due_date < today,
        )
        .order_by(EvidenceRequest.due_date, School.name, EvidenceRequest.id)
    )
    return [
        OverdueRequest(application_id, name, due, (today - due).days)
        for application_id, name, due in db.session.execute(query)
    ]


def schools_without_account() -> list[SchoolWithoutAccount]:
    """Schools with no enabled staff account (nobody could apply for them), by name."""
    staffed = (
        sa.select(SchoolMembership.id)
        .join(User, SchoolMembership.user_id == User.id)
        .where(
            SchoolMembership.school_id == School.id,
            User.is_enabled.is_(True),
            User.role == Role.SCHOOL,
        )
    )
    query = (
        sa.select(School.id, School.name, School.town)
        .where(~staffed.exists())
        .order_by(School.name, School.town, School.id)
    )
    return [SchoolWithoutAccount(*row) for row in db.session.execute(query)]
