"""Which logins need a second factor, giving it, enrolling and resetting factors.

Office and assessor accounts must have one; a school account may (a setting on its account
page). A session opened with the password alone waits for the factor: until then the user
counts as not logged in anywhere (``User.is_authenticated``), and the one permission check
sends them to the code page, or to the set-up when the account has no factor yet.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_login import current_user
from limits import parse

from seal_app.audit.services import record
from seal_app.auth import sessions, throttle
from seal_app.auth.models import Role, User, UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications import messages
from seal_app.twofactor import passkeys, recovery, totp
from seal_app.twofactor.models import Passkey, TotpFactor

REQUIRED_ROLES = (Role.OFFICE, Role.ASSESSOR)


def must_have_factor(user: User) -> bool:
    return user.role in REQUIRED_ROLES


def totp_of(user: User) -> TotpFactor | None:
    return db.session.scalar(sa.select(TotpFactor).where(TotpFactor.user_id == user.id))


def has_passkey(user: User) -> bool:
    return (
        db.session.scalar(sa.select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
        is not None
    )


def has_factor(user: User) -> bool:
    return totp_of(user) is not None or has_passkey(user)


def has_factor_column(user_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """``has_factor`` as a column of a query that names the user's id (the session loaded on
    every request asks it in the same statement)."""
    return sa.or_(
        sa.exists().where(TotpFactor.user_id == user_id),
        sa.exists().where(Passkey.user_id == user_id),
    ).label("has_factor")


def needs_factor(user: User) -> bool:
    """True when a login of ``user`` is complete only with a second factor."""
    return must_have_factor(user) or has_factor(user)


def waits_for_factor(
    user: User, user_session: UserSession, factor_known: bool | None = None
) -> bool:
    """The session has not yet seen the factor its user needs; ``factor_known``: whether
    the user has one, when already read (else asked here)."""
    if user_session.second_factor_at is not None:
        return False
    if must_have_factor(user):
        return True
    return has_factor(user) if factor_known is None else factor_known


def pending_user() -> User | None:
    """The user of this request's session that has given the password but not yet the
    factor; None for everyone else."""
    if getattr(current_user, "second_factor_pending", False):
        return current_user._get_current_object()
    return None


def second_step(user: User, target: str) -> str:
    """The page that completes a login with the password given: the code page, or setting a
    factor up when the account has none yet; ``target`` is where it goes on afterwards."""
    endpoint = "twofactor.verify" if has_factor(user) else "twofactor.setup"
    return url_for(endpoint, next=target)


def factor_given(user_session: UserSession) -> None:
    """The factor was shown in this session: the login is complete, the user confirmed."""
    now = utcnow()
    user_session.second_factor_at = now
    user_session.confirmed_at = now
    user_session.challenge = None


def recently_confirmed(user_session: UserSession | None) -> bool:
    """Password or factor given in this session within ``REAUTH_MINUTES``."""
    if user_session is None or user_session.confirmed_at is None:
        return False
    limit = timedelta(minutes=current_app.config["REAUTH_MINUTES"])
    return utcnow() - user_session.confirmed_at < limit


# --- checking a code ------------------------------------------------------------------------


def check_totp(user: User, code: str) -> bool:
    """True for a current code of the user's app not used before (its step is then spent)."""
    factor = totp_of(user)
    if factor is None:
        return False
    secret = totp.open_secret(factor.secret_encrypted, user.id)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, factor.last_used_step)
    if step is None:
        return False
    spent = db.session.execute(  # two requests with one code at once: only one gets through
        sa.update(TotpFactor)
        .where(TotpFactor.id == factor.id, TotpFactor.last_used_step < step)
        .values(last_used_step=step)
    )
    return spent.rowcount == 1


def check_code(user: User, code: str) -> str | None:
    """„totp“ or „recovery“ for the factor ``code`` proves; None when it proves nothing."""
    if check_totp(user, code):
        return "totp"
    if recovery.use(user, code):
        return "recovery"
    return None


# --- attempts per account ---------------------------------------------------------------------


def _limit():
    return parse(current_app.config["SECOND_FACTOR_LIMIT_PER_ACCOUNT"])


def attempts_exhausted(user: User) -> bool:
    """Attempts count per account, from any address: whoever tries has the password."""
    return not throttle.left(_limit(), "second-factor", str(user.id))


def claim_attempt(user: User) -> bool:
    """Take one of the account's attempts before its answer is checked (auth/throttle.py);
    False when none is left."""
    return throttle.take(_limit(), "second-factor", str(user.id))


def attempt_was_right(user: User) -> None:
    """A right answer gives its attempt back: only wrong ones count."""
    throttle.give_back(_limit(), "second-factor", str(user.id))


# --- enrolling and removing -------------------------------------------------------------------


def enrol_totp(user: User, secret: str, step: int, actor: User) -> TotpFactor:
    """Store the confirmed app (replacing an earlier one); ``step`` was used to confirm it."""
    db.session.execute(sa.delete(TotpFactor).where(TotpFactor.user_id == user.id))
    factor = TotpFactor(
        user_id=user.id, secret_encrypted=totp.seal_secret(secret, user.id), last_used_step=step
    )
    db.session.add(factor)
    record("user.totp_enrolled", user, actor)
    return factor


def remove_totp(user: User, actor: User) -> None:
    db.session.execute(sa.delete(TotpFactor).where(TotpFactor.user_id == user.id))
    record("user.totp_removed", user, actor)


def remove_passkey(passkey: Passkey, actor: User) -> None:
    record("user.passkey_removed", passkey.user, actor, name=passkey.name)
    db.session.delete(passkey)


def can_remove(user: User, totp_removed: bool = False, passkeys_removed: int = 0) -> bool:
    """An office or assessor account keeps at least one factor."""
    if not must_have_factor(user):
        return True
    keeps_totp = totp_of(user) is not None and not totp_removed
    return keeps_totp or len(passkeys.of_user(user)) > passkeys_removed


def has_recovery_codes(user: User) -> bool:
    return bool(recovery.unused(user))


def reset(user: User, actor: User | None) -> None:
    """A lost factor: every factor and recovery code deleted, every session ended, the user
    told by mail. At the next login the account sets a factor up again."""
    for table in (TotpFactor, Passkey):
        db.session.execute(sa.delete(table).where(table.user_id == user.id))
    recovery.delete_all(user)
    sessions.end_sessions(user)
    record("user.second_factor_reset", user, actor)
    messages.second_factor_reset(user, actor)
