"""An awarded application with its certificate, and revoking it as the office's page does."""

from __future__ import annotations

from dataclasses import dataclass

from seal_app.certificates import issuing
from seal_app.certificates.document import german_date
from seal_app.extensions import db
from seal_app.local_time import local_today
from tests.certificates.decision_setup import award_and_release
from tests.reviews.jury_setup import Meeting, client_of

REASON = "Das Sicherheitskonzept wird seit dem Schuljahr 2027/28 nicht mehr umgesetzt."


@dataclass
class Issued:
    meeting: Meeting
    certificate_id: int
    number: str
    version: int
    sha256: str

    @property
    def page(self) -> str:
        return f"/office/certificates/{self.certificate_id}/revoke"


def issued(app, meeting: Meeting) -> Issued:
    award_and_release(app, meeting)
    with app.app_context():
        certificate = issuing.certificate_of(meeting.application_id)
        found = Issued(
            meeting, certificate.id, certificate.number, certificate.version, certificate.sha256
        )
        db.session.rollback()
    return found


def revoke(client, certificate: Issued, reason: str = REASON, follow: bool = False):
    """The office's post of the confirmation page (version as the page showed it)."""
    return client.post(
        certificate.page,
        data={"reason": reason, "version": str(certificate.version)},
        follow_redirects=follow,
    )


def revoked(app, certificate: Issued) -> None:
    answer = revoke(client_of(app, certificate.meeting.office), certificate)
    assert answer.status_code == 302


def today_long(app) -> str:
    """Today as the pages write a revocation's day: „6. Dezember 2026“."""
    with app.app_context():
        return german_date(local_today())
