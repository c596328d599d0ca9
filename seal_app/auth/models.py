"""Users, their roles and the one-time links to set a password."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db


class Role(enum.StrEnum):
    SCHOOL = "school"
    ASSESSOR = "assessor"
    OFFICE = "office"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # ``memberships`` (the schools a school's staff member acts for) is added to this class by
    # ``seal_app.schools.models``: schools know their staff, users know nothing of schools.

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_enabled

    # True while this request's login still waits for its second factor (set on loading the
    # session): the password alone counts as no login anywhere (see ``seal_app.twofactor``).
    second_factor_pending = False

    @property
    def is_authenticated(self) -> bool:
        return self.is_enabled and not self.second_factor_pending

    # The key of the server-side session this request runs in (set at login and on loading).
    session_key = None  # str | None; not a column

    def get_id(self) -> str:
        """What Flask-Login keeps in the signed cookie: the user and the session's key."""
        return f"{self.id}:{self.session_key}"

    @property
    def schools(self) -> list:
        """The schools (``seal_app.schools.models.School``) this user acts for, by name."""
        return sorted((m.school for m in self.memberships), key=lambda school: school.name)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class PasswordLinkPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


class PasswordLink(db.Model):
    """A one-time link to set a password; only the token's hash is stored."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[PasswordLinkPurpose] = mapped_column(enum_column(PasswordLinkPurpose))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class UserSession(db.Model):
    """One login: the cookie carries a random key, only its SHA-256 is stored.

    A session counts while it is not ended, not past ``expires_at`` (absolute lifetime from
    login) and seen within the idle lifetime.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the network the login came from (IPv4 /24, IPv6 /48), never the full address
    network: Mapped[str] = mapped_column(sa.String(50), default="")
    # when the second factor was given in this session (None: not yet)
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # when the user last proved who they are here (password or factor): re-authentication
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the open WebAuthn challenge of this session (base64url), cleared when used
    challenge: Mapped[str | None] = mapped_column(sa.String(128))

    user: Mapped[User] = relationship()


class SecurityEventKind(enum.StrEnum):
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGIN_REFUSED = "login.refused"  # too many attempts (429)
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password.changed"
    PASSWORD_SET_BY_LINK = "password.set_by_link"
    PASSWORD_CHECK_FAILED = "password.check_failed"  # wrong current password
    PASSWORD_CHECK_REFUSED = "password.check_refused"  # too many wrong current passwords
    PASSWORD_RESET_REQUESTED = "password.reset_requested"  # a link was mailed
    PASSWORD_RESET_REFUSED = "password.reset_refused"  # too many for this account
    SECOND_FACTOR_SUCCEEDED = "second_factor.succeeded"
    SECOND_FACTOR_FAILED = "second_factor.failed"
    SECOND_FACTOR_REFUSED = "second_factor.refused"  # too many wrong codes for this account
    RECOVERY_CODE_USED = "recovery_code.used"
    SECOND_FACTOR_ADDED = "second_factor.added"
    SECOND_FACTOR_REMOVED = "second_factor.removed"
    SECOND_FACTOR_RESET = "second_factor.reset"  # by the office or on the command line
    RECOVERY_CODES_RENEWED = "recovery_codes.renewed"
    REAUTH_SUCCEEDED = "reauth.succeeded"
    REAUTH_FAILED = "reauth.failed"
    SESSION_ENDED = "session.ended"  # a login elsewhere ended by its owner


class SecurityEvent(db.Model):
    """A login, failed login, refusal, logout or password change, for the office to read."""

    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    event: Mapped[SecurityEventKind] = mapped_column(enum_column(SecurityEventKind), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True, default="")
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str] = mapped_column(sa.String(45), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")

    user: Mapped[User | None] = relationship()
