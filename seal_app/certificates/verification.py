"""Checking a certificate file: is it the PDF that was issued, unaltered, with its signature
intact? The file is compared by its SHA-256 with the one recorded at issue; another file has
its embedded signature checked on its own. Nothing is stored."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import gettext as _
from pypdf import PdfReader

from seal_app.certificates import pades, signing
from seal_app.certificates.document import german_date
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from seal_app.uploads import store

PRINTED_NUMBER = re.compile(r"Nr\.\s*(\d{4}-\d{3,6})")


@dataclass(frozen=True)
class FileCheck:
    genuine: bool
    message: str
    certificate: Certificate | None = None
    signature_intact: bool = False  # not the issued file, but our signature in it is intact
    level: str | None = None  # the PAdES baseline level found: „B-B“, „B-T“, „B-LT“


def check_file(data: bytes, expected: Certificate | None = None) -> FileCheck:
    """Whether ``data`` is an issued certificate (``expected``: that one in particular), with
    the PAdES level of its signature.

    A file that is not byte for byte the issued one may still be a genuine certificate that a
    PDF program saved again: then its embedded signature is checked on its own, and the
    answer says so instead of calling it altered."""
    if not data.startswith(b"%PDF-"):
        return FileCheck(False, _("Die Datei ist kein PDF."))
    result = _check_pdf(data, expected)
    facts = signing.facts(data)
    sentence = pades.level_sentence(facts)
    return replace(
        result,
        message=f"{result.message} {sentence}".strip(),
        level=facts.level if facts else None,
    )


def stored_signature(certificate: Certificate) -> pades.SignatureFacts | None:
    """What the stored file's signature says (times, authority, level), for the verify page."""
    return _stored_facts(certificate.stored_name, certificate.sha256)


@lru_cache(maxsize=256)
def _stored_facts(stored_name: str, sha256: str) -> pades.SignatureFacts | None:
    """Cached per file: a stored file changes only with its name and SHA-256."""
    path = store.path_of(stored_name)
    return signing.facts(path.read_bytes()) if path.is_file() else None


def _check_pdf(data: bytes, expected: Certificate | None) -> FileCheck:
    found = _issued_with(data)
    if found is None or (expected is not None and found.id != expected.id):
        return _not_the_issued_file(data, expected)
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


def _issued_with(data: bytes) -> Certificate | None:
    digest = hashlib.sha256(data).hexdigest()
    return db.session.scalar(sa.select(Certificate).where(Certificate.sha256 == digest))


def _not_the_issued_file(data: bytes, expected: Certificate | None) -> FileCheck:
    if expected is not None:
        first = _(
            "Die Datei ist nicht die ausgestellte Datei der Urkunde Nr. %(number)s: ihre "
            "Prüfsumme weicht ab. Darum wurde ihre Signatur geprüft.",
            number=expected.number,
        )
    else:
        first = _(
            "Die Datei ist nicht die ausgestellte Datei einer Urkunde: ihre Prüfsumme weicht "
            "ab. Darum wurde ihre Signatur geprüft."
        )
    intact, verdict = _signature_verdict(data)
    return FileCheck(False, f"{first} {verdict}", signature_intact=intact)


def _signature_verdict(data: bytes) -> tuple[bool, str]:
    signature = signing.check(data)
    if not signature.signed:
        return False, _("Die Datei trägt keine Signatur.")
    if not (signature.ok and signature.ours):
        return False, _(
            "Die Signatur in der Datei ist nicht unversehrt: die Datei wurde verändert."
        )
    number = _number_signed_in(data[: signature.signed_length])
    if number is None:
        return True, _(
            "Die Signatur in der Datei ist unversehrt und stammt von unserem "
            "Signaturzertifikat; eine Nummer einer Urkunde trägt sie nicht."
        )
    return True, _(
        "Die Signatur in der Datei ist unversehrt und stammt von unserem Signaturzertifikat; "
        "sie trägt die Urkunde Nr. %(number)s. Die Datei wurde nach dem Signieren noch "
        "einmal gespeichert, etwa von einem PDF-Programm.",
        number=number,
    )


def _number_signed_in(signed: bytes) -> str | None:
    """The number of the certificate in the part of the file that was signed: the issued file
    itself when it is one (usual after a viewer appended its update), else as printed."""
    issued = _issued_with(signed)
    if issued is not None:
        return issued.number
    try:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(signed)).pages)
    except Exception:  # the signed part is a PDF pyHanko read; a text it cannot give is none
        return None
    match = PRINTED_NUMBER.search(text)
    return match.group(1) if match else None
