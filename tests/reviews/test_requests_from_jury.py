"""Requests for more evidence from the jury's side: from the office and from a cleared
assessor, during the review; what the school added is marked per criterion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications import evidence_requests, services
from seal_app.applications.models import Application, ApplicationStatus, EvidenceRequest
from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.reviews import requests
from seal_app.reviews.models import Assignment, ConflictState, Recommendation, Review
from tests.applications import samples
from tests.applications.conftest import upload
from tests.conftest import text_of
from tests.reviews.submission_setup import Jury, audit_details, build_jury, client_of

DUE = (date.today() + timedelta(days=10)).isoformat()


@pytest.fixture
def jury(app, make) -> Jury:
    return build_jury(app, make)


def _post_request(client, application_id: int, codes=("A.1", "C.1"), **overrides):
    data = {
        "criteria": list(codes),
        "message": "Bitte reichen Sie das Konzept nach.",
        "due_date": DUE,
    }
    data.update(overrides)
    return client.post(f"/applications/{application_id}/request-more", data=data)


def _status(app, application_id: int) -> ApplicationStatus:
    with app.app_context():
        return db.session.get(Application, application_id).status


def _requests(app, application_id: int) -> list[EvidenceRequest]:
    with app.app_context():
        query = sa.select(EvidenceRequest).where(EvidenceRequest.application_id == application_id)
        found = list(db.session.scalars(query))
        db.session.expunge_all()
        return found


def _answer_and_resubmit(app, jury, text_code="A.1", file_code="C.1"):
    school = client_of(app, jury.staff)
    base = f"/applications/{jury.application_id}/criteria"
    school.post(
        f"{base}/{text_code}/response",
        data={"response-text": "Das Konzept wurde im März aktualisiert.", "response-version": ""},
        content_type="multipart/form-data",
    )
    school.post(
        f"{base}/{file_code}/response",
        data={
            "response-text": "",
            "response-version": "",
            "response-file_1": upload(samples.pdf("Schlichtung"), "Schlichtung-2026.pdf"),
            "response-description_1": "Ausbildungsnachweise 2026",
        },
        content_type="multipart/form-data",
    )
    answer = school.post(f"/applications/{jury.application_id}/resubmit")
    assert answer.status_code == 302


def test_assessor_requests_more_during_review_and_it_comes_back(app, jury):
    assessor = client_of(app, jury.assessor)
    page = assessor.get(f"/applications/{jury.application_id}/request-more")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index('value="A.1"') < html.index('value="B.1"') < html.index('value="J.1"')
    with app.app_context():  # the office's calendar day, not the machine's
        default_due = (local_today() + timedelta(days=14)).isoformat()
    assert f'value="{default_due}"' in html

    sent = _post_request(assessor, jury.application_id)
    assert sent.status_code == 302
    assert _status(app, jury.application_id) is ApplicationStatus.MORE_REQUESTED
    (made,) = _requests(app, jury.application_id)
    assert made.criteria_codes == ["A.1", "C.1"]
    (details,) = audit_details(app, "application.more_requested")
    assert details["role"] == "assessor" and details["actor_id"] == _user_id(app, jury.assessor)

    office_view = text_of(client_of(app, jury.office).get(f"/applications/{jury.application_id}"))
    assert "Bitte reichen Sie das Konzept nach." in office_view
    assert "Angefordert von Jana Jury (Gutachter/in)" in office_view
    school_view = text_of(client_of(app, jury.staff).get(f"/applications/{jury.application_id}"))
    assert "Jana Jury" not in school_view, "the school does not learn who asked"

    _answer_and_resubmit(app, jury)
    assert _status(app, jury.application_id) is ApplicationStatus.IN_REVIEW


def _user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def test_office_requests_from_submitted_and_resubmit_without_assessors_returns_to_submitted(
    app, make
):
    setup = build_jury(app, make, status=ApplicationStatus.SUBMITTED)
    with app.app_context():
        db.session.execute(sa.delete(Assignment))
        db.session.commit()
    office = client_of(app, setup.office)
    assert _post_request(office, setup.application_id, codes=("A.1",)).status_code == 302
    (details,) = audit_details(app, "application.more_requested")
    assert details["role"] == "office"
    school = client_of(app, setup.staff)
    school.post(
        f"/applications/{setup.application_id}/criteria/A.1/response",
        data={"response-text": "Ergänzt.", "response-version": ""},
        content_type="multipart/form-data",
    )
    school.post(f"/applications/{setup.application_id}/resubmit")
    assert _status(app, setup.application_id) is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"criteria": []}, "Bitte wählen Sie mindestens ein Kriterium."),
        ({"criteria": ["Z.9"]}, "Dieses Kriterium gibt es nicht: Z.9"),
        ({"due_date": "2020-01-01"}, "Die Frist darf nicht in der Vergangenheit liegen."),
        ({"due_date": ""}, "Bitte geben Sie eine Frist an."),
        ({"message": " "}, "Bitte schreiben Sie, was die Schule ergänzen soll."),
        ({"message": "x" * 5001}, "1 Zeichen zu lang"),
    ],
)
def test_bad_requests_are_refused_in_german_and_nothing_is_written(
    app,
    jury,
    data,
    message,
):
    assessor = client_of(app, jury.assessor)
    answer = _post_request(assessor, jury.application_id, **data)
    assert answer.status_code == 200
    text = text_of(answer)
    assert text.startswith("Fehler:") and message in text
    assert _requests(app, jury.application_id) == []
    assert _status(app, jury.application_id) is ApplicationStatus.IN_REVIEW
    assert audit_details(app, "application.more_requested") == []


def test_a_second_request_while_one_is_open_is_refused(app, jury):
    office = client_of(app, jury.office)
    assert _post_request(office, jury.application_id).status_code == 302
    again = _post_request(client_of(app, jury.assessor), jury.application_id, codes=("B.1",))
    assert again.status_code == 200
    assert "Eine Nachforderung ist offen" in text_of(again)
    assert len(_requests(app, jury.application_id)) == 1
    with app.app_context():
        application = db.session.get(Application, jury.application_id)
        actor = db.session.scalar(sa.select(User).where(User.email == jury.office))
        with pytest.raises(services.ApplicationError, match="schon eine Nachforderung offen"):
            evidence_requests.request_more_evidence(application, "x", ["B.1"], date.today(), actor)
        db.session.rollback()


def test_service_names_unknown_codes_and_refuses_an_empty_list(app, jury):
    with app.app_context():
        application = db.session.get(Application, jury.application_id)
        actor = db.session.scalar(sa.select(User).where(User.email == jury.office))
        with pytest.raises(services.ApplicationError, match="Bitte nennen Sie"):
            evidence_requests.request_more_evidence(application, "x", [], date.today(), actor)
        with pytest.raises(services.ApplicationError, match=r"nicht: Q\.1 und Z\.1"):
            evidence_requests.request_more_evidence(
                application, "x", ["A.1", "Z.1", "Q.1"], date.today(), actor
            )
        with pytest.raises(services.ApplicationError, match="Vergangenheit"):
            requests.request_more(
                application, "x", ["A.1"], date.today() - timedelta(days=1), actor, date.today()
            )
        db.session.rollback()
    assert _requests(app, jury.application_id) == []


@pytest.mark.parametrize("state", [ConflictState.PENDING, ConflictState.CONFLICT])
def test_only_cleared_assessors_may_ask(app, jury, make, state):
    with app.app_context():
        db.session.get(Assignment, jury.assignment_id).conflict_state = state
        db.session.commit()
    assessor = client_of(app, jury.assessor)
    assert assessor.get(f"/applications/{jury.application_id}/request-more").status_code == 404
    assert _post_request(assessor, jury.application_id).status_code == 404
    stranger = client_of(app, make.user(make_role("assessor"), "fremd@example.org"))
    assert stranger.get(f"/applications/{jury.application_id}/request-more").status_code == 404
    school = client_of(app, jury.staff)
    assert _post_request(school, jury.application_id).status_code == 403
    assert _requests(app, jury.application_id) == []


def make_role(name: str):
    from seal_app.auth.models import Role

    return Role(name)


def test_an_assessor_who_submitted_asks_no_more(app, jury):
    with app.app_context():
        assignment = db.session.get(Assignment, jury.assignment_id)
        assignment.review = Review(
            recommendation=Recommendation.AWARD, summary="Gut.", submitted_at=utcnow()
        )
        db.session.commit()
    assessor = client_of(app, jury.assessor)
    answer = _post_request(assessor, jury.application_id)
    assert "Ihr Gutachten ist abgegeben" in text_of(answer)
    assert _requests(app, jury.application_id) == []


def test_draft_applications_cannot_get_a_request(app, make):
    setup = build_jury(app, make, status=ApplicationStatus.DRAFT)
    office = client_of(app, setup.office)
    answer = _post_request(office, setup.application_id)
    assert "Zurzeit ist keine Nachforderung möglich" in text_of(answer)
    assert _requests(app, setup.application_id) == []


def test_changes_since_the_request_are_marked_per_criterion(app, jury):
    assessor = client_of(app, jury.assessor)
    _post_request(assessor, jury.application_id)
    with app.app_context():  # nothing marked while the school has not answered
        application = db.session.get(Application, jury.application_id)
        assert requests.changes_since_request(application, "A.1") == []
    _answer_and_resubmit(app, jury)
    with app.app_context():
        application = db.session.get(Application, jury.application_id)
        (text_change,) = requests.changes_since_request(application, "A.1")
        assert text_change.text == "Das Konzept wurde im März aktualisiert."
        assert text_change.files == () and not text_change.answer_changed
        (file_change,) = requests.changes_since_request(application, "C.1")
        assert [file.display_name for file in file_change.files] == ["Schlichtung-2026.pdf"]
        assert file_change.text == ""
        assert requests.changes_since_request(application, "B.1") == []
        assert requests.changed_codes(application) == {"A.1", "C.1"}
        file_id = file_change.files[0].id

    page = assessor.get(f"/applications/{jury.application_id}/request-more")
    html = page.get_data(as_text=True)
    text = text_of(page)
    assert text.count("Seit der Nachforderung vom") == 2
    assert "geändert – A.1" in text and "Das Konzept wurde im März aktualisiert." in text
    assert "geändert – C.1" in text and "Schlichtung-2026.pdf" in text
    assert f"/applications/{jury.application_id}/files/{file_id}" in html
    assert f"/applications/{jury.application_id}/files/{file_id}/preview" in html
    assert "geändert – B.1" not in text
    assert assessor.get(f"/applications/{jury.application_id}/files/{file_id}").status_code == 200
