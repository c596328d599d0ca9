"""Revoking a certificate: the confirmation page (consequences, a reason required, a second post
answered with a message), the audit entry, the e-mail to the school with the office's copy
through the real queue, no expiry reminder afterwards, the school's stamped copy and the
office's original, and no renewal from a revoked seal."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from seal_app.applications.models import Application, ApplicationKind
from seal_app.certificates import issuing
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.local_time import months_later
from seal_app.notifications import reminders
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.rounds.models import RoundStatus
from seal_app.rounds.services import create_round, open_round
from tests.certificates.revocation_setup import (
    REASON,
    Issued,
    issued,
    revoke,
    revoked,
    today_long,
)
from tests.conftest import text_of
from tests.reviews.jury_setup import actions, audit_details, client_of
from tests.task_queue import real_queue
from tests.test_error_summary import assert_error_pattern

ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"


@pytest.fixture
def certificate(app, agreed) -> Issued:
    return issued(app, agreed)


def _revoked_at(app, certificate: Issued):
    with app.app_context():
        return db.session.get(issuing.Certificate, certificate.certificate_id).revoked_at


# --- the confirmation page --------------------------------------------------------------------


def test_the_page_shows_the_certificate_and_what_a_revocation_means(app, certificate):
    office = client_of(app, certificate.meeting.office)
    page = text_of(office.get(certificate.page))
    assert f"Urkunde Nr. {certificate.number} widerrufen" in page
    assert "Grundschule am Wall" in page and "Gültig bis" in page and "gültig" in page
    assert "Aufheben lässt sich" not in page  # one sentence, not two that contradict
    assert "btn-danger" in office.get(certificate.page).get_data(as_text=True)
    for consequence in (
        "nicht mehr in der öffentlichen Liste der Siegelschulen",
        "Prüfseite zeigt die Urkunde als „widerrufen“",
        "Kopie mit dem Aufdruck „WIDERRUFEN“",
        "Erinnerungen an den Ablauf des Siegels gehen nicht mehr hinaus",
        "Ein Widerruf lässt sich nicht zurücknehmen: Das Siegel erhält die Schule nur mit einer "
        "neuen Urkunde wieder, nach einem neuen Antrag und einer neuen Entscheidung.",
    ):
        assert consequence in page, consequence
    assert _revoked_at(app, certificate) is None  # looking changes nothing


def test_a_revocation_without_a_reason_is_refused_with_the_error_first(app, certificate):
    office = client_of(app, certificate.meeting.office)
    answer = revoke(office, certificate, reason="   ")
    assert answer.status_code == 200
    assert_error_pattern(answer)
    assert "Bitte nennen Sie den Grund für den Widerruf." in text_of(answer)
    assert _revoked_at(app, certificate) is None
    assert "certificate.revoked" not in actions(app)


def test_a_reason_too_long_is_kept_in_the_form(app, certificate):
    office = client_of(app, certificate.meeting.office)
    reason = "Grund " * 400
    answer = revoke(office, certificate, reason=reason)
    assert_error_pattern(answer)
    assert reason.strip() in answer.get_data(as_text=True)  # nothing typed is lost
    assert _revoked_at(app, certificate) is None


def test_posting_twice_revokes_once_and_says_so(app, certificate, mail_server):
    office = client_of(app, certificate.meeting.office)
    first = revoke(office, certificate, follow=True)
    assert f"Die Urkunde Nr. {certificate.number} ist widerrufen." in text_of(first)
    assert f"Widerrufen am {today_long(app)}" in text_of(first)
    other_tab = client_of(app, certificate.meeting.office)
    second = revoke(other_tab, certificate, reason="Noch einmal", follow=True)
    assert second.status_code == 200
    assert (
        f"Die Urkunde Nr. {certificate.number} war schon widerrufen (am {today_long(app)}). "
        "Es bleibt bei diesem Widerruf; Ihre Eingabe wurde nicht gespeichert." in text_of(second)
    )
    assert "Noch einmal" not in text_of(second)
    assert actions(app).count("certificate.revoked") == 1
    [details] = audit_details(app, "certificate.revoked")
    assert details["reason"] == REASON and details["number"] == certificate.number
    assert len(mail_server.to(app.config["OFFICE_EMAIL"])) == 1


def test_the_audit_log_names_the_revocation_and_its_reason(app, certificate):
    revoked(app, certificate)
    office = client_of(app, certificate.meeting.office)
    log = text_of(office.get(f"/office/applications/{certificate.meeting.application_id}"))
    assert "Urkunde widerrufen" in log and REASON in log
    html = office.get(f"/office/applications/{certificate.meeting.application_id}").text
    page = f"/office/certificates/{certificate.certificate_id}/revoke"
    link = f'{page}">Urkunde Nr. {certificate.number}<'
    assert link in html  # the certificate's number, not its internal id


# --- the message ------------------------------------------------------------------------------


def test_the_school_and_the_office_hear_of_it_through_the_queue(
    app, certificate, mail_server, tmp_path
):
    staff, office_address = certificate.meeting.staff, app.config["OFFICE_EMAIL"]
    with real_queue(app, tmp_path) as start_worker:
        revoked(app, certificate)
        with app.app_context():
            waiting = db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.event == "certificate.revoked")
            ).all()
            assert {item.state for item in waiting} == {MessageState.QUEUED}
        start_worker()
        mail_server.wait_for(2)
    [to_school] = mail_server.to(staff)
    [copy] = mail_server.to(office_address)
    subject = f"Urkunde Nr. {certificate.number} von Grundschule am Wall widerrufen"
    assert to_school.subject == copy.subject == subject
    for mail in (to_school, copy):
        text = " ".join(mail.text.split())
        assert f"am {today_long(app)} widerrufen" in text and f"Grund: {REASON}" in text
    assert "Bitte verwenden Sie die Urkunde und das Siegel nicht mehr." in to_school.text
    assert "Kopie für die Geschäftsstelle" in copy.text
    link = re.search(r"https://siegel\.example\.org(\S+)", to_school.text).group(1)
    assert REASON in text_of(client_of(app, staff).get(link))


def test_no_expiry_reminder_goes_out_for_a_revoked_seal(app, certificate, mail_server):
    with app.app_context():
        until = db.session.get(issuing.Certificate, certificate.certificate_id).valid_until
        reminders.send_reminders(months_later(until, -12))  # the first reminder, sent
    assert len(mail_server.to(certificate.meeting.staff)) == 1
    with app.app_context():  # a second one waiting while the mail server is away
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.event == "seal.expiring")
            .values(state=MessageState.QUEUED, next_attempt_at=utcnow())
        )
        db.session.commit()
    revoked(app, certificate)
    mail_server.received.clear()
    with app.app_context():
        reminders.send_reminders(months_later(until, -3))
        states = set(
            db.session.scalars(
                sa.select(OutboxMessage.state).where(OutboxMessage.event == "seal.expiring")
            )
        )
    assert states == {MessageState.FAILED}  # withdrawn, never sent
    assert [mail.subject for mail in mail_server.received] == []


# --- the files --------------------------------------------------------------------------------


def _pages_text(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_school_downloads_only_a_copy_stamped_revoked(app, certificate):
    revoked(app, certificate)
    school = client_of(app, certificate.meeting.staff)
    answer = school.get(f"/applications/{certificate.meeting.application_id}/certificate.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    name = f"Urkunde-{certificate.number}-widerrufen.pdf"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert hashlib.sha256(answer.data).hexdigest() != certificate.sha256
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "certificate-revoked-copy.pdf").write_bytes(answer.data)  # to look at
    pages = _pages_text(answer.data)
    assert pages and all("WIDERRUFEN" in page for page in pages)
    assert all(f"WIDERRUFEN am {today_long(app)}" in page for page in pages)
    assert "ist nicht gültig" in pages[0] and "Grundschule am Wall" in pages[0]
    verdict = text_of(
        app.test_client().post(
            f"/verify/{certificate.number}",
            data={"file": (io.BytesIO(answer.data), "urkunde.pdf")},
            content_type="multipart/form-data",
        )
    )
    # no one passes it off as the original: not the issued file, and it carries no signature
    assert (
        "nicht die ausgestellte Datei" in verdict and "Die Datei trägt keine Signatur." in verdict
    )


def test_the_office_still_downloads_the_signed_original(app, certificate):
    revoked(app, certificate)
    office = client_of(app, certificate.meeting.office)
    page = text_of(office.get(certificate.page))
    assert "Signiertes Original herunterladen (PDF, wie ausgestellt)" in page
    answer = office.get(f"/office/certificates/{certificate.certificate_id}/original.pdf")
    assert answer.status_code == 200
    assert f"Urkunde-{certificate.number}-Original.pdf" in answer.headers["Content-Disposition"]
    assert hashlib.sha256(answer.data).hexdigest() == certificate.sha256
    assert all("WIDERRUFEN" not in page for page in _pages_text(answer.data))


# --- renewal ----------------------------------------------------------------------------------


def test_after_a_revocation_the_school_applies_afresh(app, certificate):
    revoked(app, certificate)
    with app.app_context():
        open_round().status = RoundStatus.CLOSED
        create_round(2028, date.today() + timedelta(days=60), "2026.1", None)
        db.session.commit()
    school = client_of(app, certificate.meeting.staff)
    home = text_of(school.get("/"))
    assert "Antrag beginnen" in home and "Verlängerung beginnen" not in home
    school.post("/applications/start", data={"school_id": str(certificate.meeting.school_id)})
    with app.app_context():
        newest = db.session.scalars(sa.select(Application).order_by(Application.id.desc())).first()
        assert newest.id != certificate.meeting.application_id
        assert newest.kind is ApplicationKind.FIRST and newest.previous_application_id is None
