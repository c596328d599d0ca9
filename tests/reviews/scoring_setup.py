"""A submitted application with self-ratings, evidence (a PDF and an image) and two assessors,
for the tests of the declaration, the assessor's home and the scoring pages."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationStatus, CriterionAnswer
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Score
from seal_app.rounds.services import create_round
from tests.applications import samples
from tests.conftest import login

# The school's self-ratings: A.1 (mandatory) 3, A.2 2, A.3 none given.
SELF_RATINGS = {"A.1": 3, "A.2": 2}


@dataclass
class Scoring:
    application_id: int
    pdf_id: int
    image_id: int
    staff: str
    office: str
    assessor: str
    other: str  # the second assessor of the same application
    stranger: str  # an assessor not assigned to it
    assignment_id: int
    other_assignment_id: int


def build_scoring(app, make, state: ConflictState = ConflictState.PENDING) -> Scoring:
    school_id = make.school(number="75001", name="Grundschule am Wall", town="Güstrow")
    staff = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_id,))
    office = make.user(Role.OFFICE, "buero@example.org", name="Bea Büro")
    assessor = make.user(Role.ASSESSOR, "jury@example.org", name="Jana Jury")
    other = make.user(Role.ASSESSOR, "zweite@example.org", name="Zora Zweit")
    stranger = make.user(Role.ASSESSOR, "fremd@example.org", name="Fritz Fremd")
    with app.app_context():
        create_round(date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None)
        db.session.commit()
    application_id = _application_with_files(app, staff, school_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        for answer in application.answers:
            answer.self_rating = SELF_RATINGS.get(answer.criterion_code)
        application.answers.append(
            CriterionAnswer(criterion_code="A.2", self_rating=2, measures="Streitschlichter")
        )
        application.status = ApplicationStatus.SUBMITTED
        files = {file.media_type: file.id for file in application.files}
        assignment = _assign(application_id, make.user_id(assessor), state)
        other_assignment = _assign(application_id, make.user_id(other), ConflictState.NONE)
        db.session.commit()
        return Scoring(
            application_id,
            files["application/pdf"],
            files["image/png"],
            staff,
            office,
            assessor,
            other,
            stranger,
            assignment,
            other_assignment,
        )


def _application_with_files(app, staff: str, school_id: int) -> int:
    client = app.test_client()
    login(client, staff)
    started = client.post("/applications/start", data={"school_id": school_id})
    application_id = int(started.headers["Location"].rsplit("/", 1)[1])
    answer = client.post(
        f"/applications/{application_id}/criteria/A.1",
        data={
            "self_rating": "3",
            "measures": "Wir haben ein Krisenteam und üben zweimal im Jahr.",
            "since": "2019",
            "participants": "Kollegium",
            "partners": "Polizei Güstrow",
            "file_1": (_bytes(samples.pdf()), "Konzept.pdf"),
            "description_1": "Sicherheitskonzept 2025",
            "file_2": (_bytes(samples.png()), "Plakat.png"),
            "description_2": "Plakat im Eingang",
            "action": "save",
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return application_id


def _bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _assign(application_id: int, assessor_id: int, state: ConflictState) -> int:
    assignment = Assignment(
        application_id=application_id,
        assessor_id=assessor_id,
        conflict_state=state,
        due_on=date.today() + timedelta(days=30),
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment.id


@pytest.fixture(name="scoring")
def scoring_fixture(app, make) -> Scoring:
    """The assessor has not declared yet; the second assessor has (no conflict)."""
    return build_scoring(app, make)


@pytest.fixture(name="cleared")
def cleared_fixture(app, make) -> Scoring:
    """Both assessors declared no conflict."""
    return build_scoring(app, make, ConflictState.NONE)


def client_of(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def score_of(app, assignment_id: int, code: str) -> Score | None:
    with app.app_context():
        score = db.session.scalar(
            sa.select(Score).where(
                Score.assignment_id == assignment_id, Score.criterion_code == code
            )
        )
        if score is not None:
            db.session.expunge(score)
        return score


def score_data(level="2", comment="", version="", action="save") -> dict:
    return {"level": level, "comment": comment, "version": version, "action": action}
