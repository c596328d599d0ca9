"""Credentials secured as VC-JWT (``application/vc+jwt``) with joserfc: the payload is the
credential itself plus the registered claims; the header names the key as a DID URL."""

from __future__ import annotations

import json
from datetime import datetime

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jws import extract_compact

from seal_app.credentials import identity, keys

MEDIA_TYPE = "application/vc+jwt"


def timestamp(moment: datetime) -> int:
    return int(moment.timestamp())


def sign(credential: dict, subject: str, valid_from: datetime, until: datetime | None) -> str:
    """The compact JWT of ``credential``, signed with the newest key."""
    key = keys.signing_key()
    claims = {
        **credential,
        "iss": identity.issuer_did(),
        "sub": subject,
        "jti": credential["id"],
        "nbf": timestamp(valid_from),
    }
    if until is not None:
        claims["exp"] = timestamp(until)
    header = {"alg": keys.ALGORITHM, "typ": "vc+jwt", "kid": identity.key_id(key)}
    return jwt.encode(header, claims, key.key, algorithms=[keys.ALGORITHM])


class TokenProblem(Exception):
    """Why a token is not a credential of ours; ``kind`` says which German verdict fits."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def read_header(token: str) -> dict:
    """The protected header, unchecked (``malformed`` if it is no compact JWS)."""
    try:
        header = extract_compact(token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError, json.JSONDecodeError, TypeError) as error:
        raise TokenProblem("malformed") from error
    if not isinstance(header, dict):
        raise TokenProblem("malformed")
    return header


def verify(token: str) -> tuple[dict, dict]:
    """Header and claims of a token signed by one of our published keys.

    Only ES256 is accepted (never ``none``); the ``kid`` must be our DID with a key we publish.
    """
    header = read_header(token)
    if header.get("alg") != keys.ALGORITHM:
        raise TokenProblem("algorithm")
    did, _, fragment = str(header.get("kid", "")).partition("#")
    key = keys.find(fragment) if did == identity.issuer_did() else None
    if key is None:
        raise TokenProblem("unknown_key")
    try:
        decoded = jwt.decode(token, key.key, algorithms=[keys.ALGORITHM])
    except (JoseError, ValueError, TypeError, json.JSONDecodeError) as error:
        raise TokenProblem("signature") from error
    if not isinstance(decoded.claims, dict):
        raise TokenProblem("malformed")
    return decoded.header, decoded.claims
