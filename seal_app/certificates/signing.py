"""PAdES baseline signatures (ETSI.CAdES.detached, pyHanko) on every document of record:
certificates, feedback letters and receipts, with the key and certificate from the settings
``SIGNING_KEY_FILE`` and ``SIGNING_CERT_FILE`` (PEM); time-stamps: ``timestamps``.

``make_self_signed`` writes a pair for the demo and the tests; production uses the district's
own certificate. ``check`` validates a PDF's signature: intact (not one byte changed since
signing) and cryptographically valid.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask, current_app, has_app_context
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from seal_app.certificates import pades, timestamps

FIELD_NAME = "Siegel"
# a certificate that signs documents: digital signature and non-repudiation, nothing else
SIGNATURE_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
T = TypeVar("T")


class SigningError(RuntimeError):
    """The signing key or certificate is missing or does not fit; the message names the
    setting."""


def make_self_signed(key_file: Path, cert_file: Path, common_name: str) -> None:
    """A new RSA key and a self-signed certificate for it, valid ten years (demo and tests)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(SIGNATURE_KEY_USAGE, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def check_configuration(app: Flask) -> None:
    """At start-up: configured files that exist must load and belong together. Missing files
    are allowed (``flask seal demo`` creates a pair); issuing then says what is missing."""
    key_file = Path(app.config["SIGNING_KEY_FILE"])
    cert_file = Path(app.config["SIGNING_CERT_FILE"])
    chain = app.config.get("SIGNING_CHAIN_FILE")
    if key_file.exists() or cert_file.exists():
        _load(key_file, cert_file, Path(chain) if chain else None)


def _load(key_file: Path, cert_file: Path, chain: Path | None = None) -> signers.SimpleSigner:
    if not key_file.is_file():
        raise SigningError(f"SEAL_SIGNING_KEY_FILE: keine Schlüsseldatei unter {key_file}")
    if not cert_file.is_file():
        raise SigningError(f"SEAL_SIGNING_CERT_FILE: kein Zertifikat unter {cert_file}")
    if chain is not None and not chain.is_file():
        raise SigningError(f"SEAL_SIGNING_CHAIN_FILE: keine Datei unter {chain}")
    names = "SEAL_SIGNING_KEY_FILE / SEAL_SIGNING_CERT_FILE" + (
        " / SEAL_SIGNING_CHAIN_FILE" if chain else ""
    )
    try:
        signer = signers.SimpleSigner.load(
            str(key_file), str(cert_file), ca_chain_files=(str(chain),) if chain else None
        )
    except Exception as error:  # pyHanko raises several kinds for unreadable files
        raise SigningError(f"{names}: nicht lesbar ({error})") from error
    if signer is None:
        raise SigningError(f"{names}: nicht lesbar")
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise SigningError(
            "SEAL_SIGNING_KEY_FILE passt nicht zu SEAL_SIGNING_CERT_FILE: "
            "Schlüssel und Zertifikat gehören nicht zusammen."
        )
    return signer


# The signer of each key and certificate pair, loaded once per process (a new file, as after
# a key change, has another modification time and is loaded anew).
_SIGNERS: dict[tuple, signers.SimpleSigner] = {}


def signer() -> signers.SimpleSigner:
    config = current_app.config
    files = [Path(config["SIGNING_KEY_FILE"]), Path(config["SIGNING_CERT_FILE"])]
    chain = Path(config["SIGNING_CHAIN_FILE"]) if config.get("SIGNING_CHAIN_FILE") else None
    key = tuple((str(path), path.stat().st_mtime_ns if path.exists() else 0) for path in files)
    key += ((str(chain), chain.stat().st_mtime_ns if chain.exists() else 0),) if chain else ()
    if key not in _SIGNERS:
        _SIGNERS.clear()
        _SIGNERS[key] = _load(*files, chain)
    return _SIGNERS[key]


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    # a time-stamping authority is set but gave no time-stamp: PAdES B-B for now, the
    # periodic task adds a document time-stamp later
    timestamp_pending: bool = False


def sign(data: bytes, signing: signers.SimpleSigner | None = None) -> bytes:
    """The signed PDF alone, for a caller that keeps no record to mark for a time-stamp."""
    return sign_document(data, "Urkunde ausgestellt", signing).data


def sign_document(
    data: bytes, reason: str, signing: signers.SimpleSigner | None = None
) -> SignedPdf:
    """The PDF with a PAdES signature added as an incremental update (its structure tree and
    PDF/A identification stay as they are): B-B, and with a time-stamping authority B-T with
    the validation data in the DSS (B-LT). An authority that does not answer, or answers
    garbage, leaves a B-B signature marked for a later time-stamp."""
    chosen = signing or signer()
    stamper = timestamps.timestamper()
    if stamper is not None:
        try:
            context = timestamps.validation_context()
            signed = _without_event_loop(lambda: _sign(data, reason, chosen, stamper, context))
        except Exception as error:  # a TSA that is down or answers garbage, in many forms
            timestamps.note_failure(error)
        else:
            return SignedPdf(signed)
    signed = _without_event_loop(lambda: _sign(data, reason, chosen, None, None))
    return SignedPdf(signed, timestamp_pending=timestamps.configured())


def add_timestamp(data: bytes) -> bytes:
    """A B-B signed PDF raised to B-LT by a document time-stamp (see ``timestamps``)."""
    return _without_event_loop(lambda: timestamps.add_document_timestamp(data))


def _sign(
    data: bytes,
    reason: str,
    chosen: signers.SimpleSigner,
    stamper: TimeStamper | None,
    context: ValidationContext | None,
) -> bytes:
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data)),
        signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason,
            subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=context is not None,
            validation_context=context,
        ),
        signer=chosen,
        timestamper=stamper,
        output=output,
    )
    return output.getvalue()


def _without_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's blocking calls start their own asyncio loop, which fails in a thread that
    already runs one (an embedding host, a test driving a browser): run them beside it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def _configured_certificate():
    configured = current_app.config["SIGNING_CERT_FILE"] if has_app_context() else None
    cert_file = Path(configured) if configured else None
    return load_cert_from_pemder(str(cert_file)) if cert_file and cert_file.is_file() else None


def _validation_context() -> ValidationContext:
    """Trust only the configured signing certificate, fetch nothing from the network."""
    ours = _configured_certificate()
    return ValidationContext(trust_roots=[ours] if ours else [], allow_fetching=False)


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool  # not changed since it was signed
    valid: bool  # the signature itself checks out
    ours: bool = False  # made with the configured signing certificate
    signed_length: int = 0  # the file as it was signed: its first bytes, up to here

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid


def check(data: bytes) -> SignatureCheck:
    """Whether ``data`` is a PDF carrying an intact, valid signature (trust in the signer is
    not asked: the hash recorded at issue says whether it is the issued file). A file saved
    again after signing (an update appended) still carries the intact signature of the part
    that was signed; ``signed_length`` says where that part ends."""
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)
    context = _validation_context()
    configured = _configured_certificate()

    def run() -> SignatureCheck:
        try:
            signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
            if not signatures:
                return SignatureCheck(False, False, False)
            signature = signatures[0]
            status = validate_pdf_signature(signature, context)
            _, _, start, length = (int(item) for item in signature.byte_range)
        except Exception:  # a broken or foreign file is simply not a valid certificate
            return SignatureCheck(False, False, False)
        ours = configured is not None and status.signing_cert.dump() == configured.dump()
        return SignatureCheck(True, bool(status.intact), bool(status.valid), ours, start + length)

    return _without_event_loop(run)


def facts(data: bytes) -> pades.SignatureFacts | None:
    """Signing time, time-stamp and PAdES level of the first signature in ``data``."""
    context = _validation_context()
    return _without_event_loop(lambda: pades.read(data, context))
