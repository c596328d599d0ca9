"""``flask seal demo``: a district to click through at once, safe to run twice."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from seal_app.applications.models import (
    Application,
    ApplicationStatus,
    EvidenceFile,
    Receipt,
)
from seal_app.applications.progress import State, progress
from seal_app.applications.services import catalogue_of, start_application
from seal_app.auth import passwords
from seal_app.auth.models import Role, User
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.reviews.assessor_home import assignments_of
from seal_app.reviews.discussion_models import DiscussionComment
from seal_app.reviews.models import Assignment, ConflictState, Visit
from seal_app.rounds.models import Round, RoundStatus
from seal_app.rounds.services import create_round
from seal_app.schools.models import Position, School, SchoolMembership
from seal_app.uploads.store import UploadBatch, path_of
from tests.conftest import login, text_of
from tests.two_factor import set_up_app_at_first_login

DEMO_LOGINS = (
    "schule@demo.invalid",
    "gutachter@demo.invalid",
    "gutachterin2@demo.invalid",
    "buero@demo.invalid",
)


def test_demo_is_idempotent_and_its_logins_work(app, runner, monkeypatch):
    monkeypatch.setenv("SEAL_DEMO_PASSWORD", "Demo-Passwort-fuer-Tests")
    first = runner.invoke(args=["seal", "demo"])
    second = runner.invoke(args=["seal", "demo"])
    assert first.exit_code == second.exit_code == 0
    for email in DEMO_LOGINS:
        assert email in second.output
    with app.app_context():
        schools = db.session.scalars(sa.select(School)).all()
        assert len(schools) >= 12 and len({s.school_type for s in schools}) >= 5
        assert {"Güstrow", "Bad Doberan", "Teterow", "Kühlungsborn"} <= {s.town for s in schools}
        emails = set(db.session.scalars(sa.select(User.email)))
        assert set(DEMO_LOGINS) <= emails and len(emails) == len(DEMO_LOGINS) + 4  # + staff
        rounds = db.session.scalars(sa.select(Round)).all()
        assert [item.status for item in rounds].count(RoundStatus.OPEN) == 1
        assert len(rounds) == 3  # the open one and two earlier ones with released decisions
        imported = db.session.scalars(sa.select(Certificate.imported)).all()
        assert sorted(imported) == [False] * 2 + [True] * 5  # issued, and from the paper era
    client = app.test_client()
    codes = set_up_app_at_first_login(client, "buero@demo.invalid", "Demo-Passwort-fuer-Tests")
    assert "Ihre Wiederherstellungscodes" in text_of(codes)


def test_demo_shows_seals_feedback_and_an_expiring_seal_at_once(app, runner, monkeypatch):
    monkeypatch.setenv("SEAL_DEMO_PASSWORD", "Demo-Passwort-fuer-Tests")
    assert runner.invoke(args=["seal", "demo"]).exit_code == 0
    anonymous = app.test_client()
    listed = text_of(anonymous.get("/siegelschulen"))
    assert "Grundschule Bergring" in listed and "Grundschule Schwaan" in listed
    assert "Grundschule Kritzmow" in listed and "Regionale Schule Teterow" in listed  # paper era
    assert "Grundschule Tessin" not in listed  # its paper seal ran out long ago
    assert "Grundschule Laage" not in listed  # not awarded
    with app.app_context():
        certificates = db.session.scalars(sa.select(Certificate)).all()
        laage = db.session.scalar(sa.select(School).where(School.name == "Grundschule Laage"))
        decided = db.session.scalar(sa.select(Application).where(Application.school_id == laage.id))
        staff = db.session.scalar(sa.select(School).where(School.name == "Grundschule Schwaan"))
        staff_id = staff.id
    for certificate in certificates:
        state = "abgelaufen" if certificate.number == "GS-2013/07" else "gültig"
        page = text_of(anonymous.get(f"/verify/{certificate.number}"))
        assert f"Die Urkunde ist {state}." in page
    office = app.test_client()
    set_up_app_at_first_login(office, "buero@demo.invalid", "Demo-Passwort-fuer-Tests")
    home = text_of(office.get("/"))
    assert "Siegel, die in den nächsten 12 Monaten ablaufen" in home
    assert "Grundschule Schwaan" in home.split("ablaufen", 1)[1]
    feedback = text_of(office.get(f"/applications/{decided.id}/feedback"))
    assert "Siegel nicht verliehen" in feedback
    with app.app_context():
        user = User(email="leitung.schwaan@example.org", name="Leitung", role=Role.SCHOOL)
        user.password_hash = passwords.hash_password("Demo-Passwort-fuer-Tests")
        user.memberships.append(SchoolMembership(school_id=staff_id, position=Position.HEAD))
        db.session.add(user)
        db.session.commit()
    school = app.test_client()
    login(school, "leitung.schwaan@example.org", "Demo-Passwort-fuer-Tests")
    page = text_of(school.get("/"))
    assert "Ihr Siegel gilt bis zum" in page and "Beginnen Sie jetzt die Verlängerung" in page
    assert "Verlängerung beginnen" in page


def test_demo_prints_random_passwords_without_the_variable(app, runner, monkeypatch):
    monkeypatch.delenv("SEAL_DEMO_PASSWORD", raising=False)
    result = runner.invoke(args=["seal", "demo"])
    password = result.output.split("buero@demo.invalid")[1].split("Passwort:")[1].split()[0]
    assert len(password) >= 12
    first = login(app.test_client(), "buero@demo.invalid", password)
    # the demo's office account sets its second factor up before anything else
    assert first.headers["Location"].startswith("/account/second-factor/setup")


@pytest.fixture
def demo(app, runner, monkeypatch):
    """The demo data after one run of the command (password from the environment)."""
    monkeypatch.setenv("SEAL_DEMO_PASSWORD", "Demo-Passwort-fuer-Tests")
    result = runner.invoke(args=["seal", "demo"])
    assert result.exit_code == 0, result.output
    return result.output


def _application(school_number: str) -> Application:
    query = sa.select(Application).join(Application.school)
    return db.session.scalar(query.where(School.school_number == school_number))


def _assignment(application: Application, email: str) -> Assignment:
    return next(
        a
        for a in db.session.scalars(
            sa.select(Assignment).where(Assignment.application_id == application.id)
        )
        if a.assessor.email == email
    )


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_demo_has_an_application_in_every_state_and_says_so(app, demo):
    with app.app_context():
        statuses = {
            number: _application(number).status
            for number in ("75001", "75002", "75003", "75005", "75006")
        }
        draft = _application("75001")
        progress_states = {
            item.state
            for area in progress(draft, catalogue_of(draft)).areas
            for item in area.criteria
        }
        waiting = _application("75002")
        requested = _application("75005")
        evidence_request = requested.open_request
        unassigned = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Assignment)
            .where(Assignment.application_id == waiting.id)
        )
    assert statuses == {
        "75001": ApplicationStatus.DRAFT,
        "75002": ApplicationStatus.SUBMITTED,
        "75003": ApplicationStatus.IN_REVIEW,
        "75005": ApplicationStatus.MORE_REQUESTED,
        "75006": ApplicationStatus.IN_REVIEW,
    }
    assert progress_states == {State.COMPLETE, State.IN_PROGRESS, State.NOT_STARTED}
    assert unassigned == 0
    assert len(evidence_request.criteria_codes) == 2 and evidence_request.message
    for label in ("in Bearbeitung", "eingereicht", "Nachforderung offen", "in Begutachtung"):
        assert label in demo
    assert "Gutachten 2 von 2" in demo


def test_running_the_demo_again_creates_nothing(app, runner, demo):
    with app.app_context():
        before = _row_counts()
    second = runner.invoke(args=["seal", "demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert _row_counts() == before
    assert before["evidence_files"] > 50 and before["scores"] > 40
    assert before["discussion_comments"] == 3  # the jury's discussion of 75006


def test_demo_leaves_an_application_the_school_started_alone(app, runner, make, monkeypatch):
    """A school's own application in the open round is never replaced or filled in."""
    monkeypatch.setenv("SEAL_DEMO_PASSWORD", "Demo-Passwort-fuer-Tests")
    school_id = make.school(number="75006", name="Münster-Gymnasium Bad Doberan")
    staff = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_id,))
    with app.app_context():
        today = local_today()
        round_ = create_round(today.year + 1, today + timedelta(days=60), "2026.1", None)
        actor = db.session.scalar(sa.select(User).where(User.email == staff))
        with UploadBatch() as batch:
            start_application(db.session.get(School, school_id), round_, actor, batch, today)
        db.session.commit()
    assert runner.invoke(args=["seal", "demo"]).exit_code == 0
    with app.app_context():
        untouched = _application("75006")
        assert untouched.status is ApplicationStatus.DRAFT and untouched.answers == []
        assert _application("75003").status is ApplicationStatus.IN_REVIEW


def test_stored_files_and_receipts_match_their_recorded_checksums(app, demo):
    with app.app_context():
        files = db.session.scalars(sa.select(EvidenceFile)).all()
        receipts = db.session.scalars(sa.select(Receipt)).all()
        stored = [(f.stored_name, f.sha256, f.size) for f in files]
        stored += [(r.stored_name, r.sha256, r.size) for r in receipts]
        assert {f.media_type for f in files} == {"application/pdf", "image/png"}
        for name, sha256, size in stored:
            data = path_of(name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha256 and len(data) == size
        waiting = _application("75002")
        assert len(waiting.receipts) == 1 and waiting.submitted_at is not None
        assert path_of(waiting.receipts[0].stored_name).read_bytes().startswith(b"%PDF-")
        assert len(waiting.votes) == 3


def test_the_demo_school_user_finds_their_draft(app, demo):
    with app.app_context():
        draft_id = _application("75001").id
        others = [_application(n).id for n in ("75002", "75003", "75005", "75006")]
    client = app.test_client()
    assert login(client, "schule@demo.invalid", "Demo-Passwort-fuer-Tests").status_code == 302
    page = client.get(f"/applications/{draft_id}")
    assert page.status_code == 200 and "Grundschule am Wall" in text_of(page)
    for other in others:
        assert client.get(f"/applications/{other}").status_code == 404


def test_the_demo_assessor_has_one_half_scored_and_one_at_consensus(app, demo):
    with app.app_context():
        catalogue = catalogue_of(_application("75003"))
        codes = [criterion.code for criterion in catalogue.criteria]
        minimum = catalogue.award_rule.mandatory_min_level
        assessor = db.session.scalar(sa.select(User).where(User.email == "gutachter@demo.invalid"))
        assignments = {a.application.school.school_number: a for a in assignments_of(assessor)}
        assert set(assignments) == {"75003", "75005", "75006"}
        assert all(
            a.conflict_state is ConflictState.NONE and a.due_on for a in assignments.values()
        )

        scoring = assignments["75003"]
        assert 0.4 * len(codes) <= len(scoring.scores) <= 0.6 * len(codes)
        assert scoring.review is None
        _check_comments(scoring, minimum, catalogue)
        pending = _assignment(scoring.application, "gutachterin2@demo.invalid")
        assert pending.conflict_state is ConflictState.PENDING

        consensus = assignments["75006"]
        second = _assignment(consensus.application, "gutachterin2@demo.invalid")
        assert second.assessor.name == "Dr. Jana Voss"
        for assignment in (consensus, second):
            assert sorted(s.criterion_code for s in assignment.scores) == sorted(codes)
            review = assignment.review
            assert review.is_submitted and review.recommendation and review.summary
            assert review.strengths and set(review.advice) == {a.code for a in catalogue.areas}
            _check_comments(assignment, minimum, catalogue)
        gaps = [abs(consensus.score_for(c).level - second.score_for(c).level) for c in codes]
        assert max(gaps) >= 2

        visit = db.session.scalar(
            sa.select(Visit).where(Visit.application_id == consensus.application_id)
        )
        assert {p.assignment_id for p in visit.participants} == {consensus.id, second.id}
        assert len(visit.protocols) == 1 and visit.protocols[0].findings


def _check_comments(assignment: Assignment, minimum: int, catalogue) -> None:
    """A comment wherever the rules require one."""
    application = assignment.application
    for score in assignment.scores:
        rated = application.answer_for(score.criterion_code).self_rating
        mandatory = catalogue.criterion(score.criterion_code).mandatory
        if abs(score.level - rated) >= 2 or (mandatory and score.level < minimum):
            assert score.comment.strip(), score.criterion_code


def test_the_office_opens_every_demo_application(app, demo):
    with app.app_context():
        ids = db.session.scalars(sa.select(Application.id)).all()
    client = app.test_client()
    codes = set_up_app_at_first_login(client, "buero@demo.invalid", "Demo-Passwort-fuer-Tests")
    assert "Ihre Wiederherstellungscodes" in text_of(codes)
    assert len(ids) == 8  # five in the open round, three decided in earlier rounds
    for application_id in ids:
        assert client.get(f"/applications/{application_id}").status_code == 200


class _FormValues(HTMLParser):
    """The values a browser would send from the page's main form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and name not in ("csrf_token", "next", "language"):
            if attributes.get("type") != "checkbox" or "checked" in attributes:
                self.values[name] = attributes.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""


def _saved_unchanged(client, url: str):
    parser = _FormValues()
    parser.feed(client.get(url).get_data(as_text=True))
    return client.post(url, data=parser.values)


def test_the_demo_school_and_its_people_can_be_saved_unchanged(app, demo):
    with app.app_context():
        school_id = db.session.scalar(
            sa.select(School.id).where(School.name == "Grundschule am Wall")
        )
        user_id = db.session.scalar(sa.select(User.id).where(User.email == "schule@demo.invalid"))
    client = app.test_client()
    set_up_app_at_first_login(client, "buero@demo.invalid", "Demo-Passwort-fuer-Tests")

    school = _saved_unchanged(client, f"/office/schools/{school_id}/edit")
    assert school.status_code == 302, text_of(school)
    person = _saved_unchanged(client, f"/office/users/{user_id}/edit")
    assert person.status_code == 302, text_of(person)


def test_the_demo_discussion_follows_both_submitted_reviews(app, demo):
    with app.app_context():
        comments = list(db.session.scalars(sa.select(DiscussionComment)))
        assert len(comments) == 3
        application_id = comments[0].application_id
        reviews_in = [
            assignment.review.submitted_at
            for assignment in db.session.scalars(
                sa.select(Assignment).where(Assignment.application_id == application_id)
            )
        ]
        assert len(reviews_in) == 2
        visit = db.session.scalar(sa.select(Visit).where(Visit.application_id == application_id))
        assert all(visit.starts_at < submitted for submitted in reviews_in)
        assert all(comment.created_at > max(reviews_in) for comment in comments)
