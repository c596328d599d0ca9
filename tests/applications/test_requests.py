"""Requests for more evidence: sent back with message, criteria and due date; answered by the
school on exactly those criteria; resubmitted; the history stays visible."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pytest

from seal_app.applications import evidence_requests, services
from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.notifications import outbox
from tests.applications import samples
from tests.applications.conftest import load, upload
from tests.conftest import login, text_of
from tests.reviews.jury_setup import assign


def _request_more(app, application_id, setup, codes=("A.1", "C.1")):
    with app.app_context():
        application = db.session.get(Application, application_id)
        assessor = db.session.scalar(db.select(User).where(User.email == setup.assessor))
        evidence_request = evidence_requests.request_more_evidence(
            application,
            "Bitte reichen Sie das aktuelle Krisenkonzept nach.",
            list(codes),
            date(2027, 5, 15),
            assessor,
        )
        db.session.commit()
        return evidence_request.id


def test_request_needs_a_submitted_application_and_known_criteria(app, setup, application_id):
    with app.app_context():
        application = db.session.get(Application, application_id)
        assessor = db.session.scalar(db.select(User).where(User.email == setup.assessor))
        with pytest.raises(services.ApplicationError):  # still a draft
            evidence_requests.request_more_evidence(
                application, "x", ["A.1"], date(2027, 1, 1), assessor
            )
        application.status = ApplicationStatus.SUBMITTED
        with pytest.raises(services.ApplicationError):  # no such criterion
            evidence_requests.request_more_evidence(
                application, "x", ["Z.1"], date(2027, 1, 1), assessor
            )
        with pytest.raises(services.ApplicationError):  # no criterion named
            evidence_requests.request_more_evidence(
                application, "x", [], date(2027, 1, 1), assessor
            )
        db.session.rollback()


def test_school_sees_the_request_highlighted(app, setup, staff_client, submitted):
    _request_more(app, submitted, setup)
    page = staff_client.get(f"/applications/{submitted}")
    text = text_of(page)
    assert "Nachforderung: bitte ergänzen bis 15. Mai 2027" in text
    assert "Bitte reichen Sie das aktuelle Krisenkonzept nach." in text
    assert page.get_data(as_text=True).count("task-requested") == 2
    assert load(app, submitted).status is ApplicationStatus.MORE_REQUESTED


def test_answer_only_on_requested_criteria_then_resubmit(app, setup, staff_client, submitted):
    _request_more(app, submitted, setup)
    other = staff_client.post(
        f"/applications/{submitted}/criteria/B.1/response",
        data={"response-text": "nicht gefragt"},
        follow_redirects=True,
    )
    assert "Zu diesem Kriterium ist keine Nachforderung offen." in text_of(other)
    # the original statement stays read-only
    assert (
        staff_client.post(
            f"/applications/{submitted}/criteria/A.1", data={"measures": "geändert"}
        ).status_code
        == 409
    )
    early = staff_client.post(f"/applications/{submitted}/resubmit", follow_redirects=True)
    assert "Zu diesen Kriterien fehlt noch eine Ergänzung: A.1 , C.1" in text_of(early)
    staff_client.post(
        f"/applications/{submitted}/criteria/A.1/response",
        data={"response-text": "Das Konzept wurde im März aktualisiert.", "response-version": ""},
        content_type="multipart/form-data",
    )
    staff_client.post(
        f"/applications/{submitted}/criteria/C.1/response",
        data={
            "response-text": "",
            "response-version": "",
            "response-file_1": upload(samples.pdf("Schlichtung"), "Schlichtung-2026.pdf"),
            "response-description_1": "Ausbildungsnachweise 2026",
        },
        content_type="multipart/form-data",
    )
    done = staff_client.post(f"/applications/{submitted}/resubmit", follow_redirects=True)
    assert "Ihre Ergänzungen sind eingereicht." in text_of(done)
    application = load(app, submitted)
    assert application.status is ApplicationStatus.SUBMITTED
    (answered,) = application.evidence_requests
    assert answered.answered_at is not None
    history = text_of(staff_client.get(f"/applications/{submitted}"))
    assert "Nachforderungen und Antworten" in history
    assert "A.1: Das Konzept wurde im März aktualisiert." in history
    assert "C.1: Schlichtung-2026.pdf" in history and "Beantwortet am" in history


def test_a_second_request_keeps_the_first_in_the_history(app, setup, staff_client, submitted):
    _request_more(app, submitted, setup, codes=("J.1",))
    staff_client.post(
        f"/applications/{submitted}/criteria/J.1/response",
        data={"response-text": "Schulprogramm beschlossen."},
        content_type="multipart/form-data",
    )
    staff_client.post(f"/applications/{submitted}/resubmit")
    _request_more(app, submitted, setup, codes=("A.2",))
    history = text_of(staff_client.get(f"/applications/{submitted}"))
    assert history.count("Nachforderung vom") == 2
    assert "J.1: Schulprogramm beschlossen." in history and "Noch nicht beantwortet." in history


# --- by e-mail ---------------------------------------------------------------------------------


def _path(mail) -> str:
    return urlparse(re.search(r"https://siegel\.example\.org/\S+", mail.text).group(0)).path


def test_the_school_hears_of_a_request_and_the_assessor_of_the_answer(
    app, setup, staff_client, submitted, mail_server
):
    with app.app_context():
        assessor_id = db.session.scalar(db.select(User.id).where(User.email == setup.assessor))
        assign(submitted, assessor_id)
        db.session.commit()
    mail_server.received.clear()  # the assignment's own message
    _request_more(app, submitted, setup)
    to_school = mail_server.to(setup.staff)
    assert [mail.subject for mail in to_school] == [
        "Nachforderung zu Ihrem Antrag: Grundschule am Wall"
    ]
    assert "A.1 und C.1" in to_school[0].text and "15. Mai 2027" in to_school[0].text
    assert "Bitte reichen Sie das aktuelle Krisenkonzept nach." in to_school[0].text
    assert "Nachforderung" in text_of(staff_client.get(_path(to_school[0])))
    assert mail_server.to(setup.colleague)  # every staff account of the school

    for code, data in (
        ("A.1", {"response-text": "Das Konzept wurde im März aktualisiert."}),
        ("C.1", {"response-file_1": upload(samples.pdf("C"), "C.pdf")}),
    ):
        staff_client.post(
            f"/applications/{submitted}/criteria/{code}/response",
            data={"response-version": "", "response-description_1": "Nachweis", **data},
            content_type="multipart/form-data",
        )
    staff_client.post(f"/applications/{submitted}/resubmit")
    [answer] = mail_server.to(setup.assessor)
    assert answer.subject == "Die Schule hat ergänzt: Grundschule am Wall"
    assessor = app.test_client()
    login(assessor, setup.assessor)
    assert assessor.get(_path(answer)).status_code == 200
    with app.app_context():
        outbox.send_waiting()
        outbox.send_waiting()
    assert len(mail_server.to(setup.assessor)) == 1


def test_an_answer_sent_after_the_request_was_closed_shows_the_typed_text(
    app, setup, staff_client, submitted
):
    """A colleague handed the supplements in meanwhile: the late answer is refused, and the
    text typed for it is on the page to copy, not lost behind a redirect."""
    _request_more(app, submitted, setup, codes=("A.1",))
    staff_client.post(
        f"/applications/{submitted}/criteria/A.1/response",
        data={"response-text": "Erste Antwort.", "response-version": ""},
        content_type="multipart/form-data",
    )
    assert staff_client.post(f"/applications/{submitted}/resubmit").status_code == 302
    late = staff_client.post(
        f"/applications/{submitted}/criteria/A.1/response",
        data={"response-text": "Späte Ergänzung zum Krisenplan.", "response-version": "1"},
        content_type="multipart/form-data",
    )
    assert late.status_code == 409
    page = text_of(late)
    assert "Zu diesem Kriterium ist keine Nachforderung offen." in page
    assert "Späte Ergänzung zum Krisenplan." in page


def test_resubmitting_is_offered_once_every_requested_criterion_is_answered(
    app, setup, staff_client, submitted
):
    def overview() -> str:
        return text_of(staff_client.get(f"/applications/{submitted}"))

    assert "Ergänzungen einreichen" not in overview()  # nothing requested
    _request_more(app, submitted, setup, codes=("A.1",))
    waiting = overview()
    assert "Ergänzungen einreichen" not in waiting
    assert (
        "Sobald Sie zu jedem betroffenen Kriterium eine Ergänzung gespeichert haben, "
        "können Sie sie hier einreichen." in waiting
    )
    staff_client.post(
        f"/applications/{submitted}/criteria/A.1/response",
        data={"response-text": "Das Konzept wurde im März aktualisiert.", "response-version": ""},
        content_type="multipart/form-data",
    )
    answered = overview()
    assert "Ergänzungen einreichen" in answered and "Sobald Sie" not in answered
