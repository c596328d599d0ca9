"""Submitting a review: only with every level, a recommendation and a summary; drafts are
versioned; submitted reviews are read-only; the office reopens with a reason; the consensus
waits for every cleared assessor. Parallel submits from several sessions: one goes through."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews import submission
from seal_app.reviews.models import Assignment, ConflictState, Recommendation, Review
from tests.concurrency.conftest import HttpSession, _server, served_app  # noqa: F401
from tests.concurrency.test_parallel_saves import SESSIONS, SharedForm, race
from tests.conftest import text_of
from tests.reviews.submission_setup import (
    Jury,
    actions,
    audit_details,
    build_jury,
    client_of,
    score_all,
)

REVIEW = {
    "recommendation": "award",
    "summary": "Die Schule arbeitet überzeugend an ihrer Sicherheit.",
    "strengths": "Krisenteam, Schulwegsicherung",
    "advice_A": "Üben Sie die Räumung auch im Winter.",
    "advice_B": "",
    "confirmed": "y",
}


@pytest.fixture
def jury(app, make) -> Jury:
    return build_jury(app, make)


def _url(assignment_id: int) -> str:
    return f"/review/{assignment_id}/submit"


def _version(client, assignment_id: int) -> str:
    html = client.get(_url(assignment_id)).get_data(as_text=True)
    match = re.search(r'name="version"[^>]*value="(\d*)"', html) or re.search(
        r'value="(\d*)"[^>]*name="version"', html
    )
    return match.group(1) if match else ""


def _review(app, assignment_id: int) -> Review | None:
    with app.app_context():
        review = db.session.get(Assignment, assignment_id).review
        if review is not None:
            db.session.expunge(review)
        return review


def _post(client, assignment_id: int, action: str = "submit", version: str = "", **values):
    data = {**REVIEW, **values, "action": action, "version": version}
    return client.post(_url(assignment_id), data=data)


def test_unscored_criteria_are_listed_and_block_submission(app, jury):
    score_all(app, jury.assignment_id, skip=("B.1", "J.1"))
    assessor = client_of(app, jury.assessor)
    page = assessor.get(_url(jury.assignment_id))
    text = text_of(page)
    assert "Noch 2 Kriterien ohne Stufe" in text
    assert "B.1" in text and "J.1" in text and "A.1 " not in text.split("ohne Stufe")[1][:200]
    if "reviews.criterion" in app.view_functions:
        assert f'href="/review/{jury.assignment_id}/criteria/B.1"' in page.get_data(as_text=True)
    refused = _post(assessor, jury.assignment_id, summary="")
    assert refused.status_code == 200
    text = text_of(refused)
    # everything missing at once, and what was typed is kept as a draft
    assert text.startswith("Fehler:")
    assert "Zu diesen Kriterien fehlt noch Ihre Stufe: B.1 und J.1" in text
    assert "Bitte fassen Sie Ihr Gutachten zusammen." in text
    assert "Ihre Eingaben sind als Entwurf gespeichert." in text
    review = _review(app, jury.assignment_id)
    assert not review.is_submitted and review.strengths == REVIEW["strengths"]
    assert "review.submitted" not in actions(app)
    # the form shows the draft's new version: the next try is not refused as stale
    version = re.search(r'name="version" type="hidden" value="(\d+)"', refused.text).group(1)
    assert int(version) == review.version
    score_all(app, jury.assignment_id)
    assert _post(assessor, jury.assignment_id, version=version).status_code == 302
    assert _review(app, jury.assignment_id).is_submitted


def test_a_draft_is_saved_without_levels_and_versioned(app, jury):
    assessor = client_of(app, jury.assessor)
    saved = _post(
        assessor, jury.assignment_id, action="save", recommendation="", summary="Erste Notizen"
    )
    assert saved.status_code == 302
    review = _review(app, jury.assignment_id)
    assert review.summary == "Erste Notizen" and review.submitted_at is None
    assert review.recommendation is None and review.advice == {"A": REVIEW["advice_A"]}
    again = _post(assessor, jury.assignment_id, action="save", version="1", summary="Zweite")
    assert again.status_code == 302
    assert _review(app, jury.assignment_id).version == 2
    stale = _post(assessor, jury.assignment_id, action="save", version="1", summary="Alte Fassung")
    assert stale.status_code == 200
    text = text_of(stale)
    assert "inzwischen an anderer Stelle gespeichert" in text and "Zweite" in text
    assert "Alte Fassung" in stale.get_data(as_text=True)
    assert _review(app, jury.assignment_id).summary == "Zweite"
    assert actions(app).count("review.saved") == 2
    page = text_of(assessor.get(_url(jury.assignment_id)))
    assert "Üben Sie die Räumung auch im Winter." in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"recommendation": ""}, "Bitte wählen Sie Ihre Empfehlung."),
        ({"recommendation": "vielleicht"}, "Bitte wählen Sie Ihre Empfehlung."),
        ({"summary": "  "}, "Bitte fassen Sie Ihr Gutachten zusammen."),
        ({"advice_A": "x" * 5001}, "1 Zeichen zu lang"),
        ({"confirmed": ""}, "Bitte bestätigen Sie, dass Sie Ihr Gutachten geprüft haben."),
    ],
)
def test_submission_needs_recommendation_and_summary(app, jury, values, message):
    score_all(app, jury.assignment_id)
    answer = _post(client_of(app, jury.assessor), jury.assignment_id, **values)
    assert answer.status_code == 200
    text = text_of(answer)
    assert text.startswith("Fehler:") and message in text
    review = _review(app, jury.assignment_id)
    if "zu lang" in message:
        assert review is None  # text over the limit is not stored
    else:
        assert not review.is_submitted and "als Entwurf gespeichert" in text


def test_a_draft_needs_no_confirmation(app, jury):
    assessor = client_of(app, jury.assessor)
    answer = _post(assessor, jury.assignment_id, action="save", confirmed="")
    assert answer.status_code == 302
    review = _review(app, jury.assignment_id)
    assert review.summary == REVIEW["summary"] and not review.is_submitted


def test_submit_makes_the_review_read_only(app, jury):
    score_all(app, jury.assignment_id)
    assessor = client_of(app, jury.assessor)
    assert _post(assessor, jury.assignment_id).status_code == 302
    review = _review(app, jury.assignment_id)
    assert review.is_submitted and review.recommendation is Recommendation.AWARD
    assert review.advice == {"A": "Üben Sie die Räumung auch im Winter."}
    (details,) = audit_details(app, "review.submitted")
    assert details["recommendation"] == "award" and details["assessor"] == "Jana Jury"
    page = assessor.get(_url(jury.assignment_id))
    assert "Abgegeben am" in text_of(page) and 'name="summary"' not in page.get_data(as_text=True)

    twice = _post(assessor, jury.assignment_id, version=str(review.version), summary="Neu")
    assert twice.status_code == 200
    assert "bereits abgegeben" in text_of(twice) and "Neu" in text_of(twice)
    after = _review(app, jury.assignment_id)
    assert after.summary == review.summary and after.version == review.version
    draft = _post(assessor, jury.assignment_id, action="save", version=str(review.version))
    assert "bereits abgegeben" in text_of(draft)
    assert actions(app).count("review.submitted") == 1 and "review.saved" not in actions(app)
    with app.app_context(), pytest.raises(submission.ReviewSubmittedError):
        submission.require_open(db.session.get(Assignment, jury.assignment_id))


def test_only_the_own_cleared_assessor_submits(app, jury, make):
    score_all(app, jury.assignment_id)
    other = client_of(app, jury.second)
    assert other.get(_url(jury.assignment_id)).status_code == 404
    assert _post(other, jury.assignment_id).status_code == 404
    assert _post(client_of(app, jury.office), jury.assignment_id).status_code == 403
    assert _post(client_of(app, jury.staff), jury.assignment_id).status_code == 403
    with app.app_context():
        db.session.get(Assignment, jury.assignment_id).conflict_state = ConflictState.CONFLICT
        db.session.commit()
    assert _post(client_of(app, jury.assessor), jury.assignment_id).status_code == 404
    assert _review(app, jury.assignment_id) is None


def test_no_submission_while_a_request_for_more_is_open(app, jury):
    score_all(app, jury.assignment_id)
    assessor = client_of(app, jury.assessor)
    assessor.post(
        f"/applications/{jury.application_id}/request-more",
        data={"criteria": ["A.1"], "message": "Bitte ergänzen.", "due_date": "2999-01-01"},
    )
    answer = _post(assessor, jury.assignment_id)
    assert "Bitte geben Sie Ihr Gutachten ab, wenn die Schule geantwortet hat." in text_of(answer)
    assert not _review(app, jury.assignment_id).is_submitted


def test_office_reopens_with_a_reason_and_stale_forms_are_refused(app, jury):
    score_all(app, jury.assignment_id)
    assessor = client_of(app, jury.assessor)
    _post(assessor, jury.assignment_id, action="save")
    draft_version = "1"
    assert _post(assessor, jury.assignment_id, version=draft_version).status_code == 302
    office = client_of(app, jury.office)
    reopen_url = f"/office/reviews/{jury.assignment_id}/reopen"
    page = office.get(reopen_url)
    assert "Gutachten von Jana Jury" in text_of(page)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page.get_data(as_text=True)).group(1)
    missing = office.post(reopen_url, data={"reason": " ", "version": version})
    assert "Bitte geben Sie einen Grund an." in text_of(missing)
    assert _review(app, jury.assignment_id).is_submitted
    done = office.post(
        reopen_url, data={"reason": "Bitte B.1 noch einmal prüfen.", "version": version}
    )
    assert done.status_code == 302
    review = _review(app, jury.assignment_id)
    assert review.submitted_at is None and review.reopen_reason == "Bitte B.1 noch einmal prüfen."
    (details,) = audit_details(app, "review.reopened")
    assert details["reason"] == "Bitte B.1 noch einmal prüfen."
    assert "Bitte B.1 noch einmal prüfen." in text_of(assessor.get(_url(jury.assignment_id)))

    again = office.post(reopen_url, data={"reason": "Noch einmal", "version": version})
    assert "nicht abgegeben" in text_of(again)
    stale = _post(assessor, jury.assignment_id, version=draft_version, summary="Aus altem Tab")
    assert stale.status_code == 200 and "inzwischen an anderer Stelle gespeichert" in text_of(stale)
    assert _review(app, jury.assignment_id).submitted_at is None
    fresh = _post(assessor, jury.assignment_id, version=str(review.version), summary="Geprüft")
    assert fresh.status_code == 302 and _review(app, jury.assignment_id).is_submitted


def _submit_directly(app, assignment_id: int) -> None:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment.review = Review(
            recommendation=Recommendation.DEFER, summary="s", submitted_at=utcnow()
        )
        db.session.commit()


def _all_in(app, application_id: int) -> tuple[bool, tuple[int, int]]:
    with app.app_context():
        application = db.session.get(Application, application_id)
        return submission.all_reviews_in(application), submission.reviews_in(application)


def test_all_reviews_in_counts_every_cleared_and_undeclared_assessor(app, jury, make):
    assert _all_in(app, jury.application_id) == (False, (0, 2))
    _submit_directly(app, jury.assignment_id)
    assert _all_in(app, jury.application_id) == (False, (1, 2))
    with app.app_context():
        db.session.get(Assignment, jury.second_assignment_id).conflict_state = ConflictState.PENDING
        db.session.commit()
    assert _all_in(app, jury.application_id) == (False, (1, 2))
    with app.app_context():
        db.session.get(
            Assignment, jury.second_assignment_id
        ).conflict_state = ConflictState.CONFLICT
        db.session.commit()
    assert _all_in(app, jury.application_id) == (True, (1, 1))
    with app.app_context():
        db.session.get(Assignment, jury.assignment_id).review.submitted_at = None
        db.session.commit()
    assert _all_in(app, jury.application_id) == (False, (0, 1))
    with app.app_context():
        db.session.execute(sa.delete(Assignment))
        db.session.commit()
    assert _all_in(app, jury.application_id) == (False, (0, 0))


def test_the_status_road_survives_a_request_during_review(app, jury):
    with app.app_context():
        assert (
            db.session.get(Application, jury.application_id).status is ApplicationStatus.IN_REVIEW
        )


def test_parallel_submits_one_succeeds_the_others_are_refused(app, served_app, jury):  # noqa: F811
    score_all(app, jury.assignment_id)
    sessions = [HttpSession(served_app, f"Gerät {n}") for n in range(SESSIONS)]
    for session in sessions:
        session.login(jury.assessor)
    url = _url(jury.assignment_id)

    def values(number: int) -> tuple[str, dict]:
        typed = f"Zusammenfassung Fassung {number}"
        return typed, {**REVIEW, "summary": typed, "action": "submit"}

    form = SharedForm(url, url, "version", values, "wurde")
    outcome = race(sessions, form, rounds=1)

    assert outcome.errors == [], outcome.errors[:3]
    assert len(outcome.saved) == 1 and len(outcome.refused) == SESSIONS - 1
    review = _review(app, jury.assignment_id)
    assert review.is_submitted and review.summary in outcome.saved and review.version == 1
    assert actions(app).count("review.submitted") == 1
