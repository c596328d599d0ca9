"""Logging in, changing passwords and one-time links to set a password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from seal_app.audit.services import record
from seal_app.auth import passwords, sessions
from seal_app.auth.models import PasswordLink, PasswordLinkPurpose, User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications import messages


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; takes the same time for unknown e-mails."""
    user = find_user_by_email(email)
    usable = user is not None and user.is_enabled
    if not passwords.verify_password(user.password_hash if usable else None, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, new_password: str, actor: User | None) -> None:
    """Store a new password and sign the user out of every other session."""
    user.password_hash = passwords.hash_password(new_password)
    sessions.end_sessions(user)
    record("user.password_set", user, actor)


def issue_password_link(
    user: User, purpose: PasswordLinkPurpose, actor: User | None, hours: int | None = None
) -> str:
    """Create a one-time link for ``user``, valid ``hours`` (default ``PASSWORD_LINK_HOURS``);
    returns the token (shown or mailed once, stored hashed)."""
    now = utcnow()
    for link in _open_links(user):
        link.used_at = now  # an older link stops working when a new one is issued
    token = secrets.token_urlsafe(32)
    hours = hours or current_app.config["PASSWORD_LINK_HOURS"]
    db.session.add(
        PasswordLink(
            user=user,
            token_hash=_token_hash(token),
            purpose=purpose,
            expires_at=now + timedelta(hours=hours),
            created_by_id=getattr(actor, "id", None),
        )
    )
    record("user.password_link_issued", user, actor, purpose=purpose.value)
    return token


def request_password_reset(email: str) -> User | None:
    """„Passwort vergessen?“: mail a link valid ``PASSWORD_RESET_HOURS`` to an enabled
    account with this address, at most ``RESET_MAILS_PER_ACCOUNT_PER_HOUR`` an hour. Returns
    the account a link was mailed to (the page answers the same in every case)."""
    user = find_user_by_email(email)
    if user is None or not user.is_enabled:
        return None
    config = current_app.config
    since = utcnow() - timedelta(hours=1)
    recent = db.session.scalar(
        sa.select(sa.func.count(PasswordLink.id)).where(
            PasswordLink.user_id == user.id,
            PasswordLink.purpose == PasswordLinkPurpose.RESET,
            PasswordLink.created_by_id.is_(None),
            PasswordLink.created_at >= since,
        )
    )
    if recent >= config["RESET_MAILS_PER_ACCOUNT_PER_HOUR"]:
        raise ResetLimitReached(user)
    token = issue_password_link(
        user, PasswordLinkPurpose.RESET, actor=None, hours=config["PASSWORD_RESET_HOURS"]
    )
    messages.password_reset(user, token)
    return user


class ResetLimitReached(Exception):
    """Too many links for this account in the last hour: nothing is sent."""

    def __init__(self, user: User) -> None:
        super().__init__(user.email)
        self.user = user


def find_valid_link(token: str) -> PasswordLink | None:
    link = db.session.scalar(
        sa.select(PasswordLink).where(PasswordLink.token_hash == _token_hash(token))
    )
    return link if link is not None and is_usable(link) else None


def is_usable(link: PasswordLink) -> bool:
    """Not used, not expired, and its account enabled."""
    return link.used_at is None and link.expires_at > utcnow() and link.user.is_enabled


def use_password_link(link: PasswordLink, new_password: str) -> User:
    link.used_at = utcnow()
    set_password(link.user, new_password, actor=link.user)
    return link.user


def _open_links(user: User) -> list[PasswordLink]:
    query = sa.select(PasswordLink).where(
        PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None)
    )
    return list(db.session.scalars(query))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
