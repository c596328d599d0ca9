"""Fixtures for the application journey: an open round, a school with two staff members."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from seal_app.applications.models import Application
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from tests.conftest import login


@dataclass
class Setup:
    school_id: int
    other_school_id: int
    round_id: int
    staff: str
    colleague: str
    other_staff: str
    office: str
    assessor: str


@pytest.fixture
def setup(app, make) -> Setup:
    school_id = make.school(number="75001", name="Grundschule am Wall")
    other_school_id = make.school(number="75002", name="Regionale Schule Heidberg")
    with app.app_context():
        round_ = create_round(
            date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None
        )
        db.session.commit()
        round_id = round_.id
    return Setup(
        school_id=school_id,
        other_school_id=other_school_id,
        round_id=round_id,
        staff=make.user(
            Role.SCHOOL, "leitung@example.org", school_ids=(school_id,), name="Lena Leitung"
        ),
        colleague=make.user(
            Role.SCHOOL, "praevention@example.org", school_ids=(school_id,), name="Paul Prävention"
        ),
        other_staff=make.user(Role.SCHOOL, "heidberg@example.org", school_ids=(other_school_id,)),
        office=make.user(Role.OFFICE, "buero@example.org"),
        assessor=make.user(Role.ASSESSOR, "jury@example.org"),
    )


@pytest.fixture
def staff_client(app, setup):
    client = app.test_client()
    assert login(client, setup.staff).status_code == 302
    return client


@pytest.fixture
def application_id(staff_client, setup) -> int:
    response = staff_client.post("/applications/start", data={"school_id": setup.school_id})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def submitted(app, staff_client, application_id) -> int:
    """The application complete and submitted."""
    from tests.applications.test_journey import _complete_everything

    _complete_everything(staff_client, application_id)
    assert staff_client.post(f"/applications/{application_id}/submit").status_code == 302
    return application_id


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def criterion_data(
    rating="2", measures="Wir haben ein Krisenteam und üben zweimal im Jahr.", version="", **files
) -> dict:
    data = {
        "self_rating": rating,
        "measures": measures,
        "since": "2019",
        "participants": "Kollegium",
        "partners": "Polizei Güstrow",
        "version": version,
        "action": "save",
    }
    data.update(files)
    return data


def post_criterion(client, application_id: int, code: str, data: dict):
    return client.post(
        f"/applications/{application_id}/criteria/{code}",
        data=data,
        content_type="multipart/form-data",
    )


def load(app, application_id: int) -> Application:
    with app.app_context():
        application = db.session.get(Application, application_id)
        # touch what tests read, then detach
        _ = (
            application.answers,
            application.files,
            application.votes,
            application.renewal_notes,
            application.evidence_requests,
            application.school,
            application.round,
        )
        db.session.expunge_all()
        return application
