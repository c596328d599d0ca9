"""Trusted time for the signatures: an RFC 3161 time-stamping authority (``TSA_URL``) and the
validation data (certificates, CRLs and OCSP answers where the certificates name them) that
keeps a signature verifiable after its certificate has expired (PAdES B-T and B-LT).

Without ``TSA_URL`` every signature is PAdES B-B. An authority that fails is left alone for a
minute, so that a release of a whole round does not wait for it once per document.
"""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from flask import current_app, has_app_context
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)

QUIET_SECONDS = 60.0  # after a failure, documents are signed without asking for this long
DOCUMENT_TIMESTAMP_FIELD = "Zeitstempel"
_quiet_until = 0.0
last_failure = ""  # the last failure, for ``flask seal check-signing``


def configured() -> bool:
    return has_app_context() and bool(current_app.config.get("TSA_URL"))


def timestamper(even_if_quiet: bool = False) -> HTTPTimeStamper | None:
    """The configured authority, or None: none set, or it failed less than a minute ago."""
    if not configured() or (time.monotonic() < _quiet_until and not even_if_quiet):
        return None
    return HTTPTimeStamper(
        current_app.config["TSA_URL"], timeout=current_app.config["TSA_TIMEOUT_SECONDS"]
    )


def note_failure(error: BaseException) -> None:
    """Log a failed time-stamp and leave the authority alone for ``QUIET_SECONDS``."""
    global _quiet_until, last_failure
    _quiet_until = time.monotonic() + QUIET_SECONDS
    last_failure = f"{type(error).__name__}: {error}"
    log.warning(
        "time-stamping authority %s gave no time-stamp (%s: %s); signed as PAdES B-B, "
        "marked for a document time-stamp later",
        current_app.config.get("TSA_URL"),
        type(error).__name__,
        error,
    )


def reset() -> None:
    """Ask the authority again at once (after a successful retry, and in tests)."""
    global _quiet_until
    _quiet_until = 0.0


def trusted_certificates() -> list[asn1_x509.Certificate]:
    """The signing certificate, its chain and the authority's roots: the anchors against
    which the validation data is gathered."""
    config = current_app.config
    files = [config["SIGNING_CERT_FILE"], config.get("SIGNING_CHAIN_FILE")]
    files.append(config.get("TSA_ROOTS_FILE"))
    return list(load_certs_from_pemder([name for name in files if name and Path(name).is_file()]))


def validation_context() -> ValidationContext:
    """For gathering validation data while signing: fetching CRLs and OCSP answers named in
    the certificates is allowed; certificates without them pass (soft-fail)."""
    return ValidationContext(
        trust_roots=trusted_certificates(), allow_fetching=True, revocation_mode="soft-fail"
    )


def add_document_timestamp(data: bytes) -> bytes:
    """A signed PDF with the validation data of its signature and a document time-stamp over
    it, each as an incremental update (PAdES B-LT for a B-B signature). Raises when the
    authority gives no time-stamp; the caller keeps the file as it was."""
    stamper = timestamper(even_if_quiet=True)
    if stamper is None:
        raise RuntimeError("SEAL_TSA_URL is not set")
    signature = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]
    with_data = add_validation_info(signature, validation_context(), output=io.BytesIO())
    with_data.seek(0)
    output = io.BytesIO()
    signers.PdfTimeStamper(stamper, field_name=DOCUMENT_TIMESTAMP_FIELD).timestamp_pdf(
        IncrementalPdfFileWriter(with_data),
        "sha256",
        validation_context=validation_context(),  # a fresh one: the last was released
        output=output,
    )
    return output.getvalue()
