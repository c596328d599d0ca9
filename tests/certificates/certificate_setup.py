"""Helpers for the certificate tests: an awarded application with its certificate."""

from __future__ import annotations

from seal_app.applications.models import Application
from seal_app.certificates import issuing
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from seal_app.schools.models import School
from tests.certificates.decision_setup import award_and_release
from tests.reviews.jury_setup import Meeting, client_of

SCHOOL = "Grundschule „Am Mühlenteich“ Güstrow"


def award(app, agreed: Meeting) -> Meeting:
    """The agreed application awarded and released: its certificate is issued."""
    with app.app_context():
        application = db.session.get(Application, agreed.application_id)
        db.session.get(School, application.school_id).name = SCHOOL
        db.session.commit()
    award_and_release(app, agreed)
    return agreed


def certificate_of(app, application_id: int) -> Certificate:
    with app.app_context():
        certificate = issuing.certificate_of(application_id)
        db.session.expunge(certificate)
        return certificate


def download(app, meeting: Meeting, email: str | None = None) -> bytes:
    client = client_of(app, email or meeting.staff)
    answer = client.get(f"/applications/{meeting.application_id}/certificate.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    return answer.data
