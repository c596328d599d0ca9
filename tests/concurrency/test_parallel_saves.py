"""Ten people save the same record at the same moment, against the served app.

Every answer must be either a saved redirect or the stale-edit page with what that person typed
still in the form; never an error. The stored version counts exactly the successful saves, so
no save was silently lost.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from PIL import Image

from seal_app.applications import evidence_requests
from seal_app.applications.models import Application, ApplicationStatus, CriterionAnswer
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.schools.models import School
from tests.concurrency.conftest import HttpSession

SESSIONS = 10
CODE = "A.1"
CRITERION_STALE = "Jemand anderes hat dieses Kriterium inzwischen gespeichert"


@dataclass
class SharedForm:
    """A form that several people send: where it is shown and sent, and what each one types."""

    page: str
    action: str
    version_field: str
    values: Callable[[int], tuple[str, dict]]  # attempt number -> (typed text, form data)
    stale_message: str
    files: Callable[[int], dict] | None = None  # attempt number -> files to send with it


@dataclass
class Outcome:
    saved: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def race(sessions: list[HttpSession], form: SharedForm, rounds: int) -> Outcome:
    """Each round, every session reads the form's version, then all send at the same moment."""
    outcome = Outcome()
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def attempt(index: int, session: HttpSession, number: int) -> None:
        version = session.hidden_value(form.page, form.version_field)
        typed, data = form.values(index * rounds + number)
        files = form.files(index * rounds + number) if form.files else None
        barrier.wait(timeout=60)
        answer = session.request(form.action, {**data, form.version_field: version}, files)
        with lock:
            if answer.status == 302:
                outcome.saved.append(typed)
            elif (
                answer.status in (200, 409)
                and form.stale_message in answer.body
                and typed in answer.body
            ):
                outcome.refused.append(typed)
            else:
                outcome.errors.append(f"{answer.status}: {answer.body[:300]}")

    def run(index: int, session: HttpSession) -> None:
        try:
            for number in range(rounds):
                attempt(index, session, number)
        except Exception as error:  # reported by the test, not lost in the thread
            barrier.abort()
            with lock:
                outcome.errors.append(repr(error))

    threads = [
        threading.Thread(target=run, args=(index, session))
        for index, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcome


def sessions_of(served_app: str, email: str) -> list[HttpSession]:
    sessions = [HttpSession(served_app, f"Person {number}") for number in range(SESSIONS)]
    for session in sessions:
        session.login(email)
    return sessions


def assert_clean(outcome: Outcome, attempts: int) -> None:
    # the figures, for ``pytest -rP tests/concurrency``
    print(
        f"{attempts} parallel saves: {len(outcome.saved)} stored, "
        f"{len(outcome.refused)} refused, {len(outcome.errors)} errors"
    )
    assert outcome.errors == [], outcome.errors[:3]
    assert len(outcome.saved) + len(outcome.refused) == attempts
    assert outcome.saved, "at least one save goes through"


def start_application(served_app: str, staff: str, school_id: int) -> int:
    session = HttpSession(served_app, "Start")
    session.login(staff)
    answer = session.request("/applications/start", {"school_id": str(school_id)})
    assert answer.status == 302, answer.body
    return int(answer.location.rsplit("/", 1)[1])


def criterion_values(number: int) -> tuple[str, dict]:
    typed = f"Fassung {number} der Massnahmen"
    return typed, {
        "self_rating": "2",
        "measures": typed,
        "since": "2019",
        "participants": "Kollegium",
        "partners": "Polizei",
        "action": "save",
    }


def test_parallel_criterion_saves_are_saved_or_refused(app, served_app, school_setup):
    school_id, _round_id, staff, _office = school_setup
    application_id = start_application(served_app, staff, school_id)
    path = f"/applications/{application_id}/criteria/{CODE}"
    form = SharedForm(path, path, "version", criterion_values, CRITERION_STALE)
    rounds = 4

    outcome = race(sessions_of(served_app, staff), form, rounds)

    assert_clean(outcome, SESSIONS * rounds)
    assert outcome.refused, "people who sent an old version are refused"
    with app.app_context():
        answer = db.session.scalar(
            sa.select(CriterionAnswer).where(CriterionAnswer.application_id == application_id)
        )
        assert answer.version == len(outcome.saved)
        assert answer.measures in outcome.saved


def unique_png(number: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (number % 256, number // 256, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def test_parallel_criterion_saves_with_files_are_saved_or_refused(app, served_app, school_setup):
    """Each save attaches a file: a page rendered after others attached theirs lists files this
    request's form did not know; they are shown, never an error."""
    school_id, _round_id, staff, _office = school_setup
    application_id = start_application(served_app, staff, school_id)
    path = f"/applications/{application_id}/criteria/{CODE}"

    def values(number: int) -> tuple[str, dict]:
        typed, data = criterion_values(number)
        return typed, {**data, "description_1": f"Foto {number}"}

    def files(number: int) -> dict:
        return {"file_1": (f"foto-{number}.png", unique_png(number))}

    form = SharedForm(path, path, "version", values, CRITERION_STALE, files)
    outcome = race(sessions_of(served_app, staff), form, rounds=3)

    assert_clean(outcome, SESSIONS * 3)
    with app.app_context():
        answer = db.session.scalar(
            sa.select(CriterionAnswer).where(CriterionAnswer.application_id == application_id)
        )
        assert answer.version == len(outcome.saved)


def test_parallel_request_responses_are_saved_or_refused(app, served_app, school_setup):
    school_id, _round_id, staff, office = school_setup
    application_id = start_application(served_app, staff, school_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        application.status = ApplicationStatus.SUBMITTED
        actor = db.session.scalar(sa.select(User).where(User.email == office))
        evidence_requests.request_more_evidence(
            application, "Bitte ergänzen.", [CODE], date.today() + timedelta(days=14), actor
        )
        db.session.commit()

    def values(number: int) -> tuple[str, dict]:
        typed = f"Ergaenzung Nummer {number}"
        return typed, {"response-text": typed}

    page = f"/applications/{application_id}/criteria/{CODE}"
    form = SharedForm(page, f"{page}/response", "response-version", values, CRITERION_STALE)
    rounds = 3

    outcome = race(sessions_of(served_app, staff), form, rounds)

    assert_clean(outcome, SESSIONS * rounds)
    with app.app_context():
        application = db.session.get(Application, application_id)
        response = application.open_request.response_for(CODE)
        assert response.version == len(outcome.saved)
        assert response.text in outcome.saved


def test_parallel_school_edits_are_saved_or_refused(app, served_app, school_setup):
    school_id, _round_id, _staff, office = school_setup

    def values(number: int) -> tuple[str, dict]:
        typed = f"Grundschule Fassung {number}"
        return typed, {
            "school_number": "75001",
            "name": typed,
            "school_type": "grundschule",
            "street": "Am Wall 3",
            "postal_code": "18273",
            "town": "Guestrow",
            "school_authority": "Stadt Guestrow",
            "district": "Landkreis Rostock",
            "email": "",
            "phone": "",
        }

    path = f"/office/schools/{school_id}/edit"
    stale = "Jemand anderes hat diese Schule inzwischen geändert"
    rounds = 3

    outcome = race(
        sessions_of(served_app, office), SharedForm(path, path, "version", values, stale), rounds
    )

    assert_clean(outcome, SESSIONS * rounds)
    with app.app_context():
        school = db.session.get(School, school_id)
        assert school.version == 1 + len(outcome.saved)
        assert school.name in outcome.saved


def test_parallel_round_edits_are_saved_or_refused(app, served_app, school_setup):
    _school_id, round_id, _staff, office = school_setup
    first = date.today() + timedelta(days=30)

    def values(number: int) -> tuple[str, dict]:
        typed = (first + timedelta(days=number)).isoformat()
        return typed, {"submission_deadline": typed, "status": "open"}

    path = f"/office/rounds/{round_id}/edit"
    stale = "Jemand anderes hat diese Runde inzwischen geändert"
    rounds = 3

    outcome = race(
        sessions_of(served_app, office), SharedForm(path, path, "version", values, stale), rounds
    )

    assert_clean(outcome, SESSIONS * rounds)
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        assert round_.version == 1 + len(outcome.saved)
        assert round_.submission_deadline.isoformat() in outcome.saved


def at_once(sessions: list[HttpSession], path: str, data: dict) -> list:
    """All sessions send the same form at the same moment; their answers."""
    barrier = threading.Barrier(len(sessions))
    answers = []

    def send(session: HttpSession) -> None:
        barrier.wait(timeout=60)
        answers.append(session.request(path, data))

    threads = [threading.Thread(target=send, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_starting_the_same_application_at_once_opens_one(app, served_app, school_setup):
    school_id, _round_id, staff, _office = school_setup
    answers = at_once(
        sessions_of(served_app, staff), "/applications/start", {"school_id": str(school_id)}
    )
    assert [answer.status for answer in answers] == [302] * SESSIONS
    assert len({answer.location for answer in answers}) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 1


def test_creating_the_same_school_at_once_creates_one(app, served_app, school_setup):
    _school_id, _round_id, _staff, office = school_setup
    data = {
        "school_number": "75999",
        "name": "Neue Schule",
        "school_type": "grundschule",
        "street": "Am Wall 3",
        "postal_code": "18273",
        "town": "Guestrow",
        "school_authority": "Stadt Guestrow",
        "district": "Landkreis Rostock",
    }
    answers = at_once(sessions_of(served_app, office), "/office/schools/new", data)
    created = [answer for answer in answers if answer.status == 302]
    refused = [
        answer
        for answer in answers
        if (
            answer.status == 200
            and "Eine Schule mit dieser Schulnummer gibt es schon." in answer.body
        )
        or (answer.status == 409 and "Gleichzeitig geändert" in answer.body)
    ]
    assert len(created) == 1
    assert len(refused) == SESSIONS - 1, [answer.status for answer in answers]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(School.id))) == 2
