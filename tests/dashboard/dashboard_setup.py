"""An open round with an application in four states, assessors with work, requests for more
and seals about to expire, built directly in the database, for the dashboard's tests.

The numbers a user checks on the page (today is the app's local day):
- states: in Bearbeitung 1, eingereicht 1, Nachforderung offen 1, in Begutachtung 1 (4 in all;
  the awarded application of last year's round does not count);
- submissions: 2 in the week two weeks ago, 1 last week, 0 this week;
- Anna Arndt 1 assigned / 1 submitted / 0 overdue, Ben Brandt 1 / 0 / 1, Clara Claussen 0 / 0 / 0
  (her conflict does not count), the disabled Dora Dahl is not listed;
- one overdue request (Regionale Schule Heidberg, due 3 days ago), one answered late (not shown);
- one seal expiring in 100 days (2026-001), one in 400 days and one revoked (not shown);
- schools without an enabled staff account: Gymnasium an der Nebel, Regionale Schule Heidberg.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    EvidenceRequest,
)
from seal_app.auth.models import Role
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.reviews.models import Assignment, ConflictState, Review
from seal_app.rounds.models import RoundStatus
from seal_app.rounds.services import create_round

ZONE = ZoneInfo("Europe/Berlin")


@dataclass
class Setup:
    round_id: int
    today: date
    office: str
    school_ids: dict[str, int]
    application_ids: dict[str, int]
    assessor_ids: dict[str, int]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), ZONE)


def build(app, make) -> Setup:
    names = {
        "wall": "Grundschule am Wall",
        "kamp": "Grundschule Am Kamp",
        "nebel": "Gymnasium an der Nebel",
        "heidberg": "Regionale Schule Heidberg",
        "muenster": "Münster-Gymnasium Bad Doberan",
    }
    schools = {key: make.school(name=name, town="Güstrow") for key, name in names.items()}
    make.user(Role.SCHOOL, "wall@example.org", school_ids=(schools["wall"],))
    make.user(Role.SCHOOL, "kamp@example.org", school_ids=(schools["kamp"],))
    make.user(Role.SCHOOL, "nebel@example.org", school_ids=(schools["nebel"],), enabled=False)
    make.user(Role.SCHOOL, "muenster@example.org", school_ids=(schools["muenster"],))
    office = make.user(Role.OFFICE, "buero@example.org", name="Bea Büro")
    assessors = {
        name: make.user_id(
            make.user(Role.ASSESSOR, f"{name.split()[0].lower()}@example.org", name=name)
        )
        for name in ("Anna Arndt", "Ben Brandt", "Clara Claussen")
    }
    make.user(Role.ASSESSOR, "dora@example.org", name="Dora Dahl", enabled=False)
    with app.app_context():
        today = local_today()
        week = monday(today)
        old = create_round(today.year - 5, today - timedelta(days=5 * 365), "2026.1", None)
        old.status = RoundStatus.CLOSED
        db.session.flush()
        awarded = _application(schools["muenster"], old.id, ApplicationStatus.AWARDED, today)
        _certificate(awarded, "2026-001", today + timedelta(days=100))
        second_old = _application(schools["wall"], old.id, ApplicationStatus.AWARDED, today)
        _certificate(second_old, "2026-002", today + timedelta(days=400))
        third_old = _application(schools["kamp"], old.id, ApplicationStatus.AWARDED, today)
        _certificate(third_old, "2026-003", today + timedelta(days=50), revoked=True)
        round_ = create_round(today.year + 1, today + timedelta(days=20), "2026.1", None)
        applications = {
            "wall": _application(schools["wall"], round_.id, ApplicationStatus.DRAFT, None),
            "nebel": _application(
                schools["nebel"], round_.id, ApplicationStatus.SUBMITTED, week - timedelta(days=13)
            ),
            "heidberg": _application(
                schools["heidberg"],
                round_.id,
                ApplicationStatus.MORE_REQUESTED,
                week - timedelta(days=9),
            ),
            "kamp": _application(
                schools["kamp"], round_.id, ApplicationStatus.IN_REVIEW, week - timedelta(days=3)
            ),
        }
        _request(applications["heidberg"], today - timedelta(days=3), answered=False)
        _request(applications["kamp"], today - timedelta(days=10), answered=True)
        _assign(applications["kamp"], assessors["Anna Arndt"], today, submitted=True)
        _assign(applications["kamp"], assessors["Ben Brandt"], today - timedelta(days=1))
        _assign(
            applications["kamp"],
            assessors["Clara Claussen"],
            today - timedelta(days=1),
            state=ConflictState.CONFLICT,
        )
        _assign(awarded, assessors["Anna Arndt"], today - timedelta(days=400))  # last round
        db.session.commit()
        return Setup(
            round_id=round_.id,
            today=today,
            office=office,
            school_ids=schools,
            application_ids={key: item.id for key, item in applications.items()},
            assessor_ids=assessors,
        )


def _application(school_id: int, round_id: int, status, submitted_on) -> Application:
    application = Application(
        school_id=school_id,
        round_id=round_id,
        kind=ApplicationKind.FIRST,
        status=status,
        submitted_at=local_moment(submitted_on) if isinstance(submitted_on, date) else None,
    )
    db.session.add(application)
    db.session.flush()
    return application


def _certificate(application: Application, number: str, valid_until: date, revoked=False):
    db.session.add(
        Certificate(
            number=number,
            application_id=application.id,
            school_name=f"Schule {number}",
            school_town="Güstrow",
            issued_on=valid_until - timedelta(days=5 * 365),
            valid_until=valid_until,
            stored_name=f"stored-{number}.pdf",
            size=1,
            sha256="0" * 64,
            revoked_at=utcnow() if revoked else None,
        )
    )


def _request(application: Application, due: date, answered: bool) -> None:
    db.session.add(
        EvidenceRequest(
            application_id=application.id,
            message="Bitte ergänzen.",
            criteria_codes=["A.1"],
            due_date=due,
            answered_at=utcnow() if answered else None,
        )
    )


def _assign(
    application: Application,
    assessor_id: int,
    due: date,
    submitted: bool = False,
    state: ConflictState = ConflictState.NONE,
) -> None:
    assignment = Assignment(
        application_id=application.id, assessor_id=assessor_id, conflict_state=state, due_on=due
    )
    if submitted:
        assignment.review = Review(summary="Gut.", submitted_at=utcnow())
    db.session.add(assignment)
    db.session.flush()


def add_applications(app, round_id: int, count: int, today: date) -> None:
    """``count`` more submitted applications of new schools, each with an overdue request and
    an assignment of a new assessor, to show that the page's queries do not grow."""
    from tests.conftest import Factory

    factory = Factory(app)
    for index in range(count):
        school_id = factory.school(number=f"8{index:04d}", name=f"Zusatzschule {index}")
        assessor_id = factory.user_id(
            factory.user(Role.ASSESSOR, f"extra{index}@example.org", name=f"Zora {index}")
        )
        with app.app_context():
            application = _application(
                school_id, round_id, ApplicationStatus.MORE_REQUESTED, today - timedelta(days=1)
            )
            _request(application, today - timedelta(days=2), answered=False)
            _assign(application, assessor_id, today - timedelta(days=1))
            db.session.commit()
