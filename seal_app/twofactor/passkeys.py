"""Passkeys (WebAuthn, py_webauthn): registering and checking them as the second factor.

The relying party is this site: its id is the host of ``PUBLIC_BASE_URL`` unless
``WEBAUTHN_RP_ID`` names another (a parent domain), and responses must come from the origin of
``PUBLIC_BASE_URL``. Each ceremony's challenge is kept with the server-side session and
cleared when a response arrives, right or wrong: a response cannot be sent twice.
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from seal_app.audit.services import record
from seal_app.auth.models import User, UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.twofactor.models import Passkey

REGISTER, AUTHENTICATE = "reg", "auth"
RP_NAME = "Gütesiegel „Sicherheit macht Schule“"
TIMEOUT_MS = 120_000


class PasskeyRefused(Exception):
    """The browser's response does not prove a passkey of this account on this site."""


def rp_id() -> str:
    return current_app.config.get("WEBAUTHN_RP_ID") or urlsplit(_base_url()).hostname or ""


def origin() -> str:
    parts = urlsplit(_base_url())
    return f"{parts.scheme}://{parts.netloc}"


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def of_user(user: User) -> list[Passkey]:
    query = sa.select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
    return list(db.session.scalars(query))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for passkey in of_user(user):
        transports = [
            AuthenticatorTransport(name)
            for name in passkey.transports.split(",")
            if name in {item.value for item in AuthenticatorTransport}
        ]
        descriptors.append(
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(passkey.credential_id), transports=transports or None
            )
        )
    return descriptors


def _remember(user_session: UserSession, purpose: str, challenge: bytes) -> None:
    user_session.challenge = f"{purpose}:{bytes_to_base64url(challenge)}"


def _take_challenge(user_session: UserSession, purpose: str) -> bytes:
    """The open challenge of this purpose, cleared at once; refused when there is none."""
    kept, user_session.challenge = user_session.challenge or "", None
    kind, _, value = kept.partition(":")
    if kind != purpose or not value:
        raise PasskeyRefused("no open challenge")
    return base64url_to_bytes(value)


def registration_options(user: User, user_session: UserSession) -> str:
    """The options for navigator.credentials.create(), as JSON; the challenge is kept."""
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=RP_NAME,
        user_name=user.email,
        user_display_name=user.name,
        user_id=f"seal-user-{user.id}".encode(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    _remember(user_session, REGISTER, challenge)
    return options_to_json(options)


def register(user: User, user_session: UserSession, name: str, response: str) -> Passkey:
    """Check the browser's response to the registration and store the passkey."""
    challenge = _take_challenge(user_session, REGISTER)
    try:
        verified = verify_registration_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        raise PasskeyRefused(str(error)) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    taken = db.session.scalar(sa.select(Passkey.id).where(Passkey.credential_id == credential_id))
    if taken is not None:
        raise PasskeyRefused("credential already registered")
    passkey = Passkey(
        user_id=user.id,
        name=name,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(_transports(response)),
    )
    db.session.add(passkey)
    record("user.passkey_added", user, user, name=name)
    return passkey


def _transports(response: str) -> list[str]:
    try:
        transports = json.loads(response).get("response", {}).get("transports") or []
    except (ValueError, AttributeError):
        return []
    return [str(item)[:20] for item in transports if isinstance(item, str)][:8]


def authentication_options(user: User, user_session: UserSession) -> str | None:
    """The options for navigator.credentials.get() with the user's passkeys (None: none)."""
    descriptors = _descriptors(user)
    if not descriptors:
        return None
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=descriptors,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _remember(user_session, AUTHENTICATE, challenge)
    return options_to_json(options)


def authenticate(user: User, user_session: UserSession, response: str) -> Passkey:
    """The user's passkey that signed this session's challenge; PasskeyRefused otherwise."""
    challenge = _take_challenge(user_session, AUTHENTICATE)
    try:
        credential_id = json.loads(response)["rawId"]
    except (ValueError, TypeError, KeyError) as error:
        raise PasskeyRefused("not a credential") from error
    passkey = db.session.scalar(
        sa.select(Passkey).where(Passkey.credential_id == str(credential_id))
    )
    if passkey is None or passkey.user_id != user.id:
        raise PasskeyRefused("not a passkey of this account")
    try:
        verified = verify_authentication_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        raise PasskeyRefused(str(error)) from error
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return passkey
