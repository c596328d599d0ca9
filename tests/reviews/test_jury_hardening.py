"""Holes found by trying the jury's pages as an attacker would: each stays closed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, EvidenceRequest
from seal_app.auth.models import User
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews import assignment as assignments
from seal_app.reviews import scoring
from seal_app.reviews.models import Assignment, ConflictState, Review
from seal_app.rounds.models import Round, RoundStatus
from tests.conftest import login, text_of
from tests.reviews.scoring_setup import build_scoring


@pytest.fixture
def cleared(app, make):
    return build_scoring(app, make, ConflictState.NONE)


def _office(app, scoring_setup):
    client = app.test_client()
    login(client, scoring_setup.office)
    return client


def test_an_assessor_name_is_escaped_in_the_office_assign_form(app, make, cleared):
    with app.app_context():
        stranger = db.session.scalar(sa.select(User).where(User.email == cleared.stranger))
        stranger.name = "Dora</option></select><h1 id=pwn>INJECTED</h1><select>"
        db.session.commit()
    html = _office(app, cleared).get(f"/office/applications/{cleared.application_id}")
    page = html.get_data(as_text=True)
    assert html.status_code == 200
    assert "<h1 id=pwn>" not in page
    assert "Dora&lt;/option&gt;" in page


def _declare_conflict(app, assignment_id: int) -> None:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment.conflict_state = ConflictState.CONFLICT
        assignment.conflict_reason = "Meine Schwester unterrichtet dort."
        db.session.commit()


def test_a_declared_conflict_cannot_be_removed_so_it_keeps_the_assessor_away(app, cleared):
    _declare_conflict(app, cleared.other_assignment_id)
    office = _office(app, cleared)
    response = office.post(f"/office/assignments/{cleared.other_assignment_id}/remove")
    assert "Befangenheit bleibt als Nachweis bestehen" in text_of(
        office.get(response.headers["Location"])
    )
    with app.app_context():
        assert db.session.get(Assignment, cleared.other_assignment_id) is not None


def test_assigning_refuses_an_assessor_who_declared_a_conflict_at_that_school(app, cleared):
    """A conflict declared on an earlier application of the school counts for every later one."""
    with app.app_context():
        application = db.session.get(Assignment, cleared.assignment_id).application
        earlier_round = Round(
            year=application.round.year - 5,
            title="Vergaberunde früher",
            submission_deadline=date.today() - timedelta(days=5 * 365),
            catalogue_version=application.round.catalogue_version,
            status=RoundStatus.CLOSED,
        )
        earlier = Application(
            school_id=application.school_id, round=earlier_round, kind=ApplicationKind.FIRST
        )
        stranger = db.session.scalar(sa.select(User).where(User.email == cleared.stranger))
        db.session.add(
            Assignment(
                application=earlier,
                assessor_id=stranger.id,
                conflict_state=ConflictState.CONFLICT,
                conflict_reason="Ehemalige Lehrkraft der Schule",
            )
        )
        db.session.commit()
        office = db.session.scalar(sa.select(User).where(User.email == cleared.office))
        with pytest.raises(assignments.AssignmentError, match="Befangenheit erklärt"):
            assignments.assign(
                application,
                stranger.id,
                date.today() + timedelta(days=14),
                date.today(),
                office,
            )


def test_a_score_saved_while_the_review_is_submitted_is_refused(app, cleared):
    """The score's transaction read the review before the submission committed: the review's
    version moved on, so the score is refused instead of changing a submitted review."""
    client = app.test_client()
    login(client, cleared.assessor)
    first = client.post(
        f"/review/{cleared.assignment_id}/criteria/A.2",
        data={"level": "2", "comment": "", "version": "", "action": "save"},
    )
    assert first.status_code == 302
    with app.app_context():
        assignment = db.session.get(Assignment, cleared.assignment_id)
        _ = assignment.review.version, assignment.scores  # read as the score request would
        with db.engine.connect() as other_request:  # the submission commits meanwhile
            other_request.execute(
                sa.update(Review)
                .where(Review.assignment_id == cleared.assignment_id)
                .values(submitted_at=utcnow(), version=Review.version + 1)
            )
            other_request.commit()
        actor = db.session.scalar(sa.select(User).where(User.email == cleared.assessor))
        with pytest.raises(ConflictError), transaction():
            scoring.save_score(assignment, "A.2", scoring.ScoreInput(level=3, comment=""), 1, actor)
    with app.app_context():
        assert db.session.get(Assignment, cleared.assignment_id).score_for("A.2").level == 2


def test_assessors_do_not_learn_who_asked_for_more(app, cleared):
    with app.app_context():
        other = db.session.scalar(sa.select(User).where(User.email == cleared.other))
        request = EvidenceRequest(
            application_id=cleared.application_id,
            message="Bitte den Notfallplan nachreichen.",
            criteria_codes=["A.1"],
            due_date=date.today() + timedelta(days=14),
            created_by_id=other.id,
            answered_at=utcnow(),
        )
        db.session.add(request)
        db.session.commit()
    client = app.test_client()
    login(client, cleared.assessor)
    page = text_of(client.get(f"/applications/{cleared.application_id}/request-more"))
    assert "Bitte den Notfallplan nachreichen." in page
    assert "Zora Zweit" not in page
    office_page = text_of(
        _office(app, cleared).get(f"/applications/{cleared.application_id}/request-more")
    )
    assert "Zora Zweit" in office_page
