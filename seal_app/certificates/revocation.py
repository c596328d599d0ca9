"""Revoking a certificate, and reading revocations for the pages that show certificates.

A revocation takes effect at once and is final: the certificate leaves the public list, its
verification page says it is revoked, the school's download carries a „WIDERRUFEN“ stamp,
no expiry reminder goes out for it, and the school's next application is a first application
again. Only a new decision with a new certificate gives the school the seal back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.certificates.issuing import CertificateError
from seal_app.certificates.models import Certificate
from seal_app.credentials import status as credential_status
from seal_app.database import claim_version
from seal_app.extensions import db
from seal_app.notifications import messages, outbox


class AlreadyRevokedError(CertificateError):
    """The certificate was revoked before (a second click, a second tab)."""


def revoke(
    certificate: Certificate, reason: str, expected_version: int | None, actor: User, now: datetime
) -> None:
    """Revoke with a reason, in the caller's transaction: audit entry, a message to the
    school's staff with a copy to the office, and expiry reminders not yet sent withdrawn."""
    if certificate.revoked_at is not None:
        raise AlreadyRevokedError(_("Die Urkunde ist schon widerrufen."))
    if not reason.strip():
        raise CertificateError(_("Bitte nennen Sie den Grund für den Widerruf."))
    claim_version(certificate, expected_version)
    certificate.revoked_at = now
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = actor.id
    db.session.flush()
    if not certificate.imported:  # imported seals have no credential
        credential_status.revoke(certificate)  # the credential's status bit, in this transaction
    record(
        "certificate.revoked",
        certificate,
        actor,
        application_id=certificate.application_id,
        school_id=certificate.school_id,
        number=certificate.number,
        reason=certificate.revoked_reason,
    )
    messages.certificate_revoked(certificate)
    outbox.withdraw(
        messages.seal_expiring_prefix(certificate), _("nicht gesendet: Urkunde widerrufen")
    )


def is_revoked(application_id: int) -> bool:
    """The application's certificate exists and is revoked."""
    query = sa.select(Certificate.id).where(
        Certificate.application_id == application_id, Certificate.revoked_at.is_not(None)
    )
    return db.session.scalar(query) is not None


def certificates_of(applications: Iterable[Application]) -> dict[int, Certificate]:
    """The certificates of these applications, by application id, in one query."""
    ids = [application.id for application in applications]
    if not ids:
        return {}
    query = sa.select(Certificate).where(Certificate.application_id.in_(ids))
    return {item.application_id: item for item in db.session.scalars(query)}


def latest_revoked(school_id: int, today: date) -> Certificate | None:
    """The school's newest certificate, if it is revoked and its validity has not run out:
    what the school's home page has to tell it."""
    query = (
        sa.select(Certificate)
        .where(Certificate.school_id == school_id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        .limit(1)
    )
    newest = db.session.scalar(query)
    if newest is None or newest.revoked_at is None or newest.valid_until < today:
        return None
    return newest


def revoked_within_validity(today: date) -> list[Certificate]:
    """Revoked certificates that would still be valid today, newest revocation first: the
    schools that lost the seal (for the office's home page and dashboard)."""
    query = (
        sa.select(Certificate)
        .where(Certificate.revoked_at.is_not(None), Certificate.valid_until >= today)
        .options(joinedload(Certificate.school))
        .order_by(Certificate.revoked_at.desc())
    )
    return list(db.session.scalars(query).unique())
