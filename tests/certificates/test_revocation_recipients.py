"""Who hears of a revocation, an expiry and a decision when the school has no enabled staff
account: the school's own address, and the office's copy and the revocation page say who was
told, or that nobody could be."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from seal_app.auth.models import User
from seal_app.certificates import issuing
from seal_app.extensions import db
from seal_app.local_time import months_later
from seal_app.notifications import reminders
from seal_app.schools.models import School
from tests.certificates.revocation_setup import Issued, issued, revoked
from tests.conftest import text_of
from tests.reviews.jury_setup import client_of

SCHOOL_ADDRESS = "sekretariat@gs-am-wall.example.org"


@pytest.fixture
def certificate(app, agreed) -> Issued:
    return issued(app, agreed)


def _staff_disabled(app, certificate: Issued, school_address: str | None) -> None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == certificate.meeting.staff))
        user.is_enabled = False
        db.session.get(School, certificate.meeting.school_id).email = school_address
        db.session.commit()


def test_without_a_staff_account_the_schools_own_address_hears_of_the_revocation(
    app, certificate, mail_server
):
    _staff_disabled(app, certificate, SCHOOL_ADDRESS)
    office = client_of(app, certificate.meeting.office)
    before = text_of(office.get(certificate.page))
    assert f"Eine E-Mail mit Datum und Grund geht an {SCHOOL_ADDRESS}" in before
    revoked(app, certificate)
    [to_school] = mail_server.to(SCHOOL_ADDRESS)
    assert "Bitte verwenden Sie die Urkunde und das Siegel nicht mehr." in to_school.text
    assert mail_server.to(certificate.meeting.staff) == []
    [copy] = mail_server.to(app.config["OFFICE_EMAIL"])
    assert f"Benachrichtigt: {SCHOOL_ADDRESS}" in " ".join(copy.text.split())
    after = text_of(office.get(certificate.page))
    assert f"Per E-Mail benachrichtigt: {SCHOOL_ADDRESS} (gesendet)" in after


def test_a_school_without_any_address_is_reported_as_not_told(app, certificate, mail_server):
    _staff_disabled(app, certificate, None)
    office = client_of(app, certificate.meeting.office)
    before = text_of(office.get(certificate.page))
    assert "Die Schule kann nicht per E-Mail benachrichtigt werden" in before
    assert "Die Schule erhält eine E-Mail" not in before
    revoked(app, certificate)
    [copy] = mail_server.to(app.config["OFFICE_EMAIL"])
    text = " ".join(copy.text.split())
    assert "Die Schule ist benachrichtigt" not in text
    assert "Die Schule konnte nicht benachrichtigt werden" in text
    after = text_of(office.get(certificate.page))
    assert "Die Schule wurde nicht per E-Mail benachrichtigt" in after


def test_the_expiry_reminder_and_the_decision_go_to_the_schools_own_address(
    app, agreed, mail_server
):
    _staff_disabled(app, Issued(agreed, 0, "", 0, ""), SCHOOL_ADDRESS)
    issued(app, agreed)  # decided and released
    [decision] = mail_server.to(SCHOOL_ADDRESS)
    assert decision.subject.startswith("Entscheidung zu Ihrem Antrag")
    with app.app_context():
        until = issuing.certificate_of(agreed.application_id).valid_until
        reminders.send_reminders(months_later(until, -12))
    expiring = mail_server.to(SCHOOL_ADDRESS)[1]
    assert "Verlängerung" in expiring.text
    [copy] = [m for m in mail_server.to(app.config["OFFICE_EMAIL"]) if "läuft" in m.subject]
    assert f"Benachrichtigt: {SCHOOL_ADDRESS}" in " ".join(copy.text.split())
    assert isinstance(until, date)
