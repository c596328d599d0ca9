"""Server-side login sessions: started at login, ended at logout, limited in time.

The signed cookie carries a random key; the database keeps only its SHA-256. A session
counts while it is not ended, younger than ``SESSION_ABSOLUTE_HOURS`` and used within the
idle lifetime (``PERMANENT_SESSION_LIFETIME``). Ending a user's sessions signs them out
everywhere, at once.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager

from seal_app.auth.models import User, UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db

# How often a session's last use is written back (not on every request).
TOUCH_INTERVAL = timedelta(minutes=1)
USER_AGENT_LENGTH = 200


def start_session(user: User, user_agent: str, address: str = "") -> str:
    """Open a session for ``user``; returns the key for the cookie (stored only hashed).

    Of the address only its network is kept (IPv4 /24, IPv6 /48), for the list of devices."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
    db.session.add(
        UserSession(
            user=user,
            key_hash=_key_hash(key),
            user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=hours),
            network=network_of(address),
            confirmed_at=now,  # the password was just given
        )
    )
    user.session_key = key
    return key


def renew_key(user_session: UserSession, user: User) -> str:
    """A new cookie key for a session whose login just became complete (second factor), so
    that a key seen before that moment is worth nothing afterwards."""
    key = secrets.token_urlsafe(32)
    user_session.key_hash = _key_hash(key)
    user.session_key = key
    return key


@functools.cache
def session_query() -> sa.Select:
    """The session whose key hashes to the parameter ``key_hash``, and its user, in one
    statement. Asked on every request, so built once per process; callers may add columns."""
    return (
        sa.select(UserSession)
        .join(UserSession.user)
        .options(contains_eager(UserSession.user))
        .where(UserSession.key_hash == sa.bindparam("key_hash"))
    )


def key_parameters(key: str) -> dict[str, str]:
    """The parameters of ``session_query`` for a cookie key."""
    return {"key_hash": _key_hash(key)}


def find_open_session(user_id: int, key: str) -> UserSession | None:
    """The session for this cookie key, if it still counts; None when ended or too old."""
    found = db.session.scalar(session_query(), key_parameters(key))
    return found if still_counts(found, user_id) else None


def still_counts(found: UserSession | None, user_id: int) -> bool:
    """The session found belongs to ``user_id`` and is neither ended nor too old."""
    if found is None or found.user_id != user_id or found.ended_at is not None:
        return False
    now = utcnow()
    idle_limit = current_app.permanent_session_lifetime
    return found.expires_at > now and found.last_seen_at + idle_limit > now


def touch(user_session: UserSession) -> bool:
    """Note that the session is in use; True when something was changed (to be committed)."""
    now = utcnow()
    if now - user_session.last_seen_at < TOUCH_INTERVAL:
        return False
    user_session.last_seen_at = now
    return True


def end_session(key: str | None) -> None:
    """End the session with this cookie key (logout); unknown keys are ignored."""
    if not key:
        return
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.key_hash == _key_hash(key), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sessions(user: User) -> None:
    """End every open session of ``user``: signs them out everywhere."""
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def open_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still count, newest first."""
    now = utcnow()
    query = (
        sa.select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - current_app.permanent_session_lifetime,
        )
        .order_by(UserSession.created_at.desc())
    )
    return list(db.session.scalars(query))


def network_of(address: str | None) -> str:
    """„192.0.2.0/24“ or „2001:db8:1::/48“; empty for anything that is no address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
