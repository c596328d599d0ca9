"""Helpers of the credential tests: the certificate, its served credential, checks, revoking."""

from __future__ import annotations

import base64
import io
import json

from seal_app.certificates import issuing
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from tests.reviews.jury_setup import Meeting, client_of


def certificate_of(app, meeting: Meeting) -> Certificate:
    with app.app_context():
        certificate = issuing.certificate_of(meeting.application_id)
        db.session.expunge(certificate)
        return certificate


def served_token(app, number: str) -> str:
    answer = app.test_client().get(f"/verify/{number}/credential")
    assert answer.status_code == 200 and answer.mimetype == "application/vc+jwt"
    return answer.text


def part(token: str, index: int) -> dict:
    """The header (0) or payload (1) of a compact JWS, read without checking."""
    text = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def check_text(app, token: str) -> str:
    return app.test_client().post("/verify", data={"credential": token}).text


def check_file(app, data: bytes, name: str):
    return app.test_client().post(
        "/verify",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def revoke(app, meeting: Meeting, certificate: Certificate) -> None:
    answer = client_of(app, meeting.office).post(
        f"/office/certificates/{certificate.id}/revoke",
        data={"reason": "Das Konzept wird nicht mehr umgesetzt.", "version": certificate.version},
    )
    assert answer.status_code == 302
