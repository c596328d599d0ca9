"""PAdES signatures on certificates (pyHanko), with the key and certificate from the settings
``SIGNING_KEY_FILE`` and ``SIGNING_CERT_FILE`` (PEM).

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
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "Siegel"
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
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
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
    if key_file.exists() or cert_file.exists():
        _load(key_file, cert_file)


def _load(key_file: Path, cert_file: Path) -> signers.SimpleSigner:
    if not key_file.is_file():
        raise SigningError(f"SEAL_SIGNING_KEY_FILE: keine Schlüsseldatei unter {key_file}")
    if not cert_file.is_file():
        raise SigningError(f"SEAL_SIGNING_CERT_FILE: kein Zertifikat unter {cert_file}")
    try:
        signer = signers.SimpleSigner.load(str(key_file), str(cert_file))
    except Exception as error:  # pyHanko raises several kinds for unreadable files
        raise SigningError(
            f"SEAL_SIGNING_KEY_FILE / SEAL_SIGNING_CERT_FILE: nicht lesbar ({error})"
        ) from error
    if signer is None:
        raise SigningError("SEAL_SIGNING_KEY_FILE / SEAL_SIGNING_CERT_FILE: nicht lesbar")
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise SigningError(
            "SEAL_SIGNING_KEY_FILE passt nicht zu SEAL_SIGNING_CERT_FILE: "
            "Schlüssel und Zertifikat gehören nicht zusammen."
        )
    return signer


def signer() -> signers.SimpleSigner:
    config = current_app.config
    return _load(Path(config["SIGNING_KEY_FILE"]), Path(config["SIGNING_CERT_FILE"]))


def sign(data: bytes, signing: signers.SimpleSigner | None = None) -> bytes:
    """The PDF with a PAdES signature added as an incremental update."""
    chosen = signing or signer()

    def run() -> bytes:
        output = io.BytesIO()
        signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(data)),
            signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason="Urkunde ausgestellt"),
            signer=chosen,
            output=output,
        )
        return output.getvalue()

    return _without_event_loop(run)


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
