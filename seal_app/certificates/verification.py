"""Checking a certificate file: is it the PDF that was issued, unaltered, with its signature
intact? The file is compared by its SHA-256 with the one recorded at issue; nothing is
stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.certificates import signing
from seal_app.certificates.document import german_date
from seal_app.certificates.models import Certificate
from seal_app.extensions import db


@dataclass(frozen=True)
class FileCheck:
    genuine: bool
    message: str
    certificate: Certificate | None = None


def check_file(data: bytes, expected: Certificate | None = None) -> FileCheck:
    """Whether ``data`` is an issued certificate (``expected``: that one in particular)."""
    if not data.startswith(b"%PDF-"):
        return FileCheck(False, _("Die Datei ist kein PDF."))
    digest = hashlib.sha256(data).hexdigest()
    found = db.session.scalar(sa.select(Certificate).where(Certificate.sha256 == digest))
    if found is None or (expected is not None and found.id != expected.id):
        if expected is not None:
            message = _(
                "Die Datei ist nicht die ausgestellte Urkunde Nr. %(number)s: Ihre Prüfsumme "
                "weicht von der bei der Ausstellung festgehaltenen ab. Sie wurde verändert oder "
                "ist eine andere Datei.",
                number=expected.number,
            )
        else:
            message = _("Die Datei ist keine ausgestellte Urkunde oder wurde verändert.")
        return FileCheck(False, message)
    if not signing.check(data).ok:
        return FileCheck(False, _("Die Signatur der Datei ist nicht gültig."), found)
    return FileCheck(
        True,
        _(
            "Die Datei ist die am %(date)s ausgestellte Urkunde Nr. %(number)s, unverändert "
            "und mit gültiger Signatur.",
            date=german_date(found.issued_on),
            number=found.number,
        ),
        found,
    )
