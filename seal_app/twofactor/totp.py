"""TOTP (RFC 6238, 30-second steps, six digits) with pyotp: secrets, QR codes, checking codes.

The secret is stored encrypted (AES-GCM, key derived from ``SECRET_KEY``): a copy of the
database, such as a backup archive, which never holds the secret key, gives no one the codes.
Changing ``SECRET_KEY`` therefore means setting TOTP up again (``flask seal reset-2fa``).
"""

from __future__ import annotations

import base64
import hmac
import os
import re
import time

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps either side: a clock a little off, a code typed at the end of its step
ISSUER = "Gütesiegel Sicherheit macht Schule"


def new_secret() -> str:
    return pyotp.random_base32()  # 32 characters, 160 bits


def grouped(secret: str) -> str:
    """The secret for typing by hand: groups of four."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as an inline SVG (no XML declaration, scaled by CSS)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def cleaned(code: str | None) -> str:
    """What was typed, without spaces, dashes or other separators a paste may bring."""
    return re.sub(r"[\s\-‐‑–]", "", code or "")


def well_formed(code: str | None) -> bool:
    """Six ASCII digits once separators are left out: anything else cannot be a code."""
    code = cleaned(code)
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def refusal(code: str | None, wrong: str) -> str:
    """Why ``code`` was refused: ``wrong`` for six digits that do not match, or that it is no
    code at all (letters, too short or too long)."""
    if well_formed(code):
        return wrong
    return _(
        "Der Code besteht aus sechs Ziffern; Sie haben etwas anderes eingegeben. Bitte geben "
        "Sie die sechs Ziffern ein, die Ihre App jetzt zeigt."
    )


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, after_step: int) -> int | None:
    """The time step (within the window around now, later than ``after_step``) whose code is
    ``code``; None when there is none: wrong, expired, or already used."""
    if not well_formed(code):
        return None
    code = cleaned(code)
    totp = pyotp.TOTP(secret)
    now = current_step()
    found = None
    for step in range(now - WINDOW, now + WINDOW + 1):
        expected = totp.at(step * STEP_SECONDS)
        if hmac.compare_digest(expected, code) and step > after_step and found is None:
            found = step
    return found


# --- the secret at rest ---------------------------------------------------------------------


def _cipher() -> AESGCM:
    secret_key = current_app.config["SECRET_KEY"]
    if isinstance(secret_key, str):
        secret_key = secret_key.encode("utf-8")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"seal-app totp").derive(
        secret_key
    )
    return AESGCM(key)


def seal_secret(secret: str, user_id: int) -> str:
    """The secret encrypted and bound to its account (a row copied to another is refused)."""
    nonce = os.urandom(12)
    sealed = _cipher().encrypt(nonce, secret.encode("ascii"), f"user:{user_id}".encode())
    return "v1:" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_secret(sealed: str, user_id: int) -> str | None:
    """The secret, or None when it cannot be read (another ``SECRET_KEY``, another account)."""
    version, _, payload = sealed.partition(":")
    if version != "v1":
        return None
    try:
        raw = base64.urlsafe_b64decode(payload.encode("ascii"))
        plain = _cipher().decrypt(raw[:12], raw[12:], f"user:{user_id}".encode())
    except (ValueError, InvalidTag):
        return None
    return plain.decode("ascii")
