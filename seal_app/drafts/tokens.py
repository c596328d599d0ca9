"""The signed token in every login-protected form, and each person's draft namespace.

The token is no secret: it proves who the form was shown to and on which page, so that text
sent after the login ended can be kept for that person only.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

TOKEN_FIELD = "draft_token"
_SALT = "seal-kept-draft"


@dataclass(frozen=True)
class DraftOwner:
    user_id: int
    path: str  # the page the form was shown on, where it is restored


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def make_token(user_id: int, path: str) -> str:
    return _serializer().dumps({"u": user_id, "p": path})


def read_token(token: str | None, posted_to: str) -> DraftOwner | None:
    """The owner and page named by a valid token for a form sent to ``posted_to``; None when
    the token is missing, forged, older than ``DRAFT_KEEP_HOURS`` or made for another page.

    A form is sent to its own page or to an address below it (a criterion's request answer
    goes to ``…/response``)."""
    if not token or len(token) > 1000:
        return None
    max_age = int(current_app.config["DRAFT_KEEP_HOURS"]) * 3600
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    user_id, path = payload.get("u"), payload.get("p")
    if not isinstance(user_id, int) or not isinstance(path, str) or not path.startswith("/"):
        return None
    if posted_to != path and not posted_to.startswith(path.rstrip("/") + "/"):
        return None
    return DraftOwner(user_id, path)


def namespace(user_id: int) -> str:
    """The browser's storage key prefix for this person: not guessable from the user id."""
    key = hashlib.sha256(b"seal-draft-namespace:" + str(current_app.secret_key).encode()).digest()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]
