"""Issuing and reading certificates (revoking: ``revocation``). Services run inside the caller's
``transaction()``; the stored file goes into the caller's ``UploadBatch`` and is removed again
if the transaction fails."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application
from seal_app.certificates import signing
from seal_app.certificates.document import CertificateText, certificate_pdf
from seal_app.certificates.models import Certificate
from seal_app.credentials import status as credential_status
from seal_app.extensions import db
from seal_app.uploads.store import UploadBatch

NUMBER = re.compile(r"^(\d{4})-(\d{3,6})$")
NUMBER_MAX_LENGTH = 40  # the column; numbers of paper-era certificates are kept as printed
EXPIRY_NOTICE_DAYS = 365  # the school and the office are told a year ahead


class CertificateError(Exception):
    """A rule was broken; the message is for the user."""


def valid_until(issued_on: date, years: int) -> date:
    """The last day of validity: the day before the same date ``years`` later (29 February
    counts from 1 March)."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        anniversary = date(issued_on.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def next_number(year: int) -> str:
    """The next running number of the year, „2027-014“ (a second issue of the same number at
    the same moment breaks the unique constraint and is refused)."""
    numbers = db.session.scalars(
        sa.select(Certificate.number).where(Certificate.number.like(f"{year}-%"))
    )
    # an imported paper-era number may start with the year without following the pattern
    matches = (NUMBER.match(item) for item in numbers)
    highest = max((int(match.group(2)) for match in matches if match), default=0)
    return f"{year}-{highest + 1:03d}"


def verify_url(number: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{number}"


def certificate_of(application_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(Certificate.application_id == application_id)
    )


# The year and the running number as people type them: „2027 014“, „2027/014“, „2027-14“,
# with spaces around or a dash from a word processor.
TYPED_NUMBER = re.compile(r"^\s*(\d{4})\s*[-–—/ .]?\s*(\d{1,6})\s*$")


def canonical_number(typed: str) -> str | None:
    """The number as ``next_number`` writes it („2027-014“), or None for no such shape."""
    match = TYPED_NUMBER.match(typed[:40])
    if match is None:
        return None
    return f"{match.group(1)}-{int(match.group(2)):03d}"


def number_to_show(typed: str) -> str | None:
    """The number whose verification page a typed number opens: an imported certificate's
    number exactly as printed, else the typed year and running number („2027-014“)."""
    found = find_by_number(typed)
    if found is not None and NUMBER.match(found.number) is None:
        return found.number
    return canonical_number(typed)


def find_by_number(typed: str) -> Certificate | None:
    """The certificate a typed number means: the spaces around it ignored, the exact number
    first, else the same letters in any case („gs-2013/07“ for „GS-2013/07“)."""
    number = typed.strip()
    found = by_number(number)
    if found is None and number and len(number) <= NUMBER_MAX_LENGTH:
        query = sa.select(Certificate).where(sa.func.lower(Certificate.number) == number.lower())
        found = db.session.scalars(query.order_by(Certificate.id).limit(1)).first()
    return found


def by_number(number: str) -> Certificate | None:
    """The certificate with exactly this number (imported ones keep their printed numbers)."""
    if not number or len(number) > NUMBER_MAX_LENGTH:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.number == number))


def issue(
    application: Application, issued_at: datetime, local_day: date, batch: UploadBatch
) -> Certificate:
    """Number, draw, sign and store the certificate of an awarded application, once."""
    if certificate_of(application.id) is not None:
        raise CertificateError(_("Für diesen Antrag gibt es schon eine Urkunde."))
    config = current_app.config
    number = next_number(local_day.year)
    until = valid_until(local_day, config["CERTIFICATE_VALID_YEARS"])
    text = CertificateText(
        number=number,
        school=application.school.name,
        town=application.school.town,
        round_title=application.round.title,
        issued_on=local_day,
        valid_until=until,
        verify_url=verify_url(number),
        issuers=config["CERTIFICATE_ISSUERS"],
        signatories=tuple(tuple(item) for item in config["CERTIFICATE_SIGNATORIES"]),
        author=config["OFFICE_NAME"],
    )
    try:
        signed = signing.sign_document(certificate_pdf(text), "Urkunde ausgestellt")
    except signing.SigningError as error:
        raise CertificateError(
            _("Die Urkunde kann nicht signiert werden: %(reason)s", reason=str(error))
        ) from error
    stored = batch.save_generated(signed.data, f"Urkunde-{number}.pdf", "application/pdf")
    certificate = Certificate(
        number=number,
        application_id=application.id,
        school_id=application.school_id,
        school_name=text.school,
        school_town=text.town,
        issued_on=local_day,
        valid_until=until,
        issuers=text.issuers,
        signatories=[list(item) for item in text.signatories],
        stored_name=stored.stored_name,
        size=stored.size,
        sha256=stored.sha256,
        timestamp_pending=signed.timestamp_pending,
        created_at=issued_at,
    )
    db.session.add(certificate)
    db.session.flush()
    credential_status.entry_of(certificate)  # its place in the revocation list
    return certificate


def text_of(certificate: Certificate) -> CertificateText:
    """What the certificate says, as it was printed at issue."""
    config = current_app.config
    signatories = certificate.signatories or config["CERTIFICATE_SIGNATORIES"]
    return CertificateText(
        number=certificate.number,
        school=certificate.school_name,
        town=certificate.school_town,
        round_title=certificate.application.round.title,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        verify_url=verify_url(certificate.number),
        issuers=certificate.issuers or config["CERTIFICATE_ISSUERS"],
        signatories=tuple(tuple(item) for item in signatories),
        author=config["OFFICE_NAME"],
    )


def file_name(certificate: Certificate) -> str:
    return f"Urkunde-{certificate.number}.pdf"


def valid_on(today: date):
    """Certificates valid on ``today``: issued, not revoked, not expired."""
    return sa.select(Certificate).where(
        Certificate.revoked_at.is_(None), Certificate.valid_until >= today
    )


def current_seal(school_id: int, today: date) -> Certificate | None:
    """The school's certificate valid today (the latest, if several)."""
    query = (
        valid_on(today)
        .where(Certificate.school_id == school_id)
        .order_by(Certificate.valid_until.desc())
    )
    return db.session.scalars(query).first()


def expiring(today: date, days: int = EXPIRY_NOTICE_DAYS) -> list[Certificate]:
    """Valid certificates whose validity ends within ``days``, soonest first."""
    query = (
        valid_on(today)
        .where(Certificate.valid_until <= today + timedelta(days=days))
        .options(joinedload(Certificate.school))
        .order_by(Certificate.valid_until)
    )
    return list(db.session.scalars(query).unique())


def expires_soon(certificate: Certificate | None, today: date) -> bool:
    return certificate is not None and certificate.valid_until <= today + timedelta(
        days=EXPIRY_NOTICE_DAYS
    )
