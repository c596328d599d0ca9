"""What a signed PDF says about its first signature: the claimed signing time, the time-stamp
(the signature's own or a document time-stamp over it) with its authority, and the PAdES
baseline level reached: B-B (ETSI.CAdES.detached with signing-certificate-v2), B-T (a valid
time-stamp), B-LT (and validation data in the document security store)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from flask_babel import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

PADES_SUBFILTER = "/ETSI.CAdES.detached"


@dataclass(frozen=True)
class Timestamp:
    at: datetime
    authority: str


@dataclass(frozen=True)
class SignatureFacts:
    subfilter: str  # „ETSI.CAdES.detached“ (PAdES) or „adbe.pkcs7.detached“ (older)
    signing_certificate_v2: bool
    signed_at: datetime | None  # as the signer claims it (/M)
    timestamp: Timestamp | None  # an intact, valid time-stamp over the signature
    validation_data: bool  # certificates (and revocation data) in the DSS

    @property
    def level(self) -> str | None:
        """„B-B“, „B-T“, „B-LT“, or None: not a PAdES baseline signature."""
        if self.subfilter != PADES_SUBFILTER.lstrip("/") or not self.signing_certificate_v2:
            return None
        if self.timestamp is None:
            return "B-B"
        return "B-LT" if self.validation_data else "B-T"


def read(data: bytes, context: ValidationContext | None = None) -> SignatureFacts | None:
    """The facts of the first signature in ``data``, or None (no signature, not a PDF).
    Callers run it outside an event loop (pyHanko's validation starts its own)."""
    for name in ("pyhanko_certvalidator", "pyhanko.sign.validation.generic_cms"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # untrusted authorities: expected
    context = context or ValidationContext(trust_roots=[], allow_fetching=False)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
        if not signatures:
            return None
        signature = signatures[0]
        attributes = {item["type"].native for item in signature.signer_info["signed_attrs"]}
        timestamp = _signature_timestamp(signature, context) or _document_timestamp(
            reader, signature, context
        )
        return SignatureFacts(
            subfilter=str(signature.sig_object.get("/SubFilter", "")).lstrip("/"),
            signing_certificate_v2="signing_certificate_v2" in attributes,
            signed_at=signature.self_reported_timestamp,
            timestamp=timestamp,
            validation_data=_has_validation_data(reader),
        )
    except Exception:  # a broken or foreign file has no facts to tell
        return None


def _has_validation_data(reader: PdfFileReader) -> bool:
    """Certificates in the document security store (``/DSS /Certs``)."""
    if "/DSS" not in reader.root:
        return False
    dss = reader.root["/DSS"]
    return "/Certs" in dss and len(dss["/Certs"]) > 0


def _signature_timestamp(signature, context: ValidationContext) -> Timestamp | None:
    if not signature.signer_info["unsigned_attrs"]:
        return None
    status = validate_pdf_signature(signature, context, ts_validation_context=context)
    found = status.timestamp_validity
    if found is None or not (found.intact and found.valid):
        return None
    return Timestamp(found.timestamp, authority_name(found.signing_cert))


def _document_timestamp(reader, signature, context: ValidationContext) -> Timestamp | None:
    """The first document time-stamp added after the signature, if intact and valid."""
    for stamp in reader.embedded_timestamp_signatures:
        if stamp.signed_revision <= signature.signed_revision:
            continue
        status = validate_pdf_timestamp(stamp, validation_context=context)
        if status.intact and status.valid:
            return Timestamp(status.timestamp, authority_name(status.signing_cert))
    return None


def authority_name(certificate: asn1_x509.Certificate) -> str:
    """„Test-Zeitstempeldienst 1 (Test-Zeitstempeldienst)“: common name and organisation."""
    subject = certificate.subject.native
    name = subject.get("common_name") or certificate.subject.human_friendly
    organisation = subject.get("organization_name")
    return f"{name} ({organisation})" if organisation and organisation != name else name


def level_sentence(facts: SignatureFacts | None) -> str:
    """One sentence on the level found, for the verify page and ``flask seal verify``."""
    if facts is None:
        return ""
    if facts.level is None:
        return _(
            "Die Signatur ist keine PAdES-Basissignatur (Format %(subfilter)s).",
            subfilter=facts.subfilter or "?",
        )
    return _("Gefundenes Signaturniveau: PAdES %(level)s.", level=facts.level)
