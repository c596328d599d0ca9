"""Which one-time password link this browser opened, kept in the session without its token.

The session cookie is signed, not encrypted: anyone who sees it can read it. So it holds the
link's id and a keyed hash of the link (HMAC with the app's secret over the token's stored
hash), never the token: the token stays a secret of the e-mail it came in."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, session

from seal_app.auth import services
from seal_app.auth.models import PasswordLink
from seal_app.extensions import db

KEY = "password_link"


def _mac(link: PasswordLink) -> str:
    secret = str(current_app.secret_key).encode()
    return hmac.new(secret, f"password-link:{link.token_hash}".encode(), hashlib.sha256).hexdigest()


def remember(link: PasswordLink) -> None:
    session[KEY] = {"id": link.id, "mac": _mac(link)}


def recall() -> PasswordLink | None:
    """The link this session opened, if it is still valid."""
    entry = session.get(KEY)
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), int):
        return None
    link = db.session.get(PasswordLink, entry["id"])
    if link is None or not hmac.compare_digest(str(entry.get("mac", "")), _mac(link)):
        return None
    return link if services.is_usable(link) else None
