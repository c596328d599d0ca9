"""Creating and changing users; handling the access requests schools send."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.audit.services import record
from seal_app.auth.models import PasswordLinkPurpose, Role, User
from seal_app.auth.services import find_user_by_email, issue_password_link, normalise_email
from seal_app.auth.sessions import end_sessions
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications import messages
from seal_app.schools.models import Position, School, SchoolMembership


class AccountError(Exception):
    """A rule was broken; the message is for the user (German)."""


@dataclass(frozen=True)
class Approval:
    user: User
    token: str | None  # None: the person already had an account and keeps their password
    mailed: bool = False  # the person was told by e-mail (mail is on)


def list_users() -> list[User]:
    query = sa.select(User).options(
        selectinload(User.memberships).selectinload(SchoolMembership.school)
    )
    return list(db.session.scalars(query.order_by(User.role, User.name)))


def create_user(
    email: str, name: str, role: Role, actor: User, memberships: dict[School, Position]
) -> tuple[User, str]:
    """Create a user without a password; returns the user and the one-time link token."""
    if find_user_by_email(email) is not None:
        raise AccountError(_("Für diese E-Mail-Adresse gibt es schon ein Konto."))
    user = User(email=normalise_email(email), name=name.strip(), role=role)
    db.session.add(user)
    _set_memberships(user, memberships if role is Role.SCHOOL else {})
    record("user.created", user, actor, role=role.value, email=user.email)
    token = issue_password_link(user, PasswordLinkPurpose.INVITE, actor)
    return user, token


def update_user(
    user: User,
    name: str,
    role: Role,
    enabled: bool,
    actor: User,
    memberships: dict[School, Position],
) -> None:
    if user.id == actor.id and (role is not Role.OFFICE or not enabled):
        raise AccountError(_("Sie können sich nicht selbst die Rolle oder den Zugang entziehen."))
    changes = {"role": role.value, "enabled": enabled}
    if role != user.role or enabled != user.is_enabled:
        end_sessions(user)  # rights changed: sign out everywhere
    user.name, user.role, user.is_enabled = name.strip(), role, enabled
    _set_memberships(user, memberships if role is Role.SCHOOL else {})
    record("user.updated", user, actor, **changes)


def _set_memberships(user: User, memberships: dict[School, Position]) -> None:
    existing = {membership.school_id: membership for membership in user.memberships}
    wanted = {school.id: (school, position) for school, position in memberships.items()}
    for school_id, membership in existing.items():
        if school_id not in wanted:
            user.memberships.remove(membership)
    for school_id, (school, position) in wanted.items():
        if school_id in existing:
            existing[school_id].position = position
        else:
            user.memberships.append(SchoolMembership(school=school, position=position))


def find_school_by_number(school_number: str) -> School | None:
    return db.session.scalar(sa.select(School).where(School.school_number == school_number.strip()))


def submit_access_request(school: School, name: str, position: Position, email: str) -> None:
    """Store a request unless the same one is already waiting; the answer never differs."""
    email = normalise_email(email)
    duplicate = db.session.scalar(
        sa.select(AccessRequest).where(
            AccessRequest.school_id == school.id,
            AccessRequest.email == email,
            AccessRequest.status == AccessRequestStatus.PENDING,
        )
    )
    if duplicate is None:
        request = AccessRequest(school=school, name=name.strip(), position=position, email=email)
        db.session.add(request)
        db.session.flush()
        messages.access_request_received(request)


def pending_requests() -> list[AccessRequest]:
    query = (
        sa.select(AccessRequest)
        .where(AccessRequest.status == AccessRequestStatus.PENDING)
        .options(selectinload(AccessRequest.school))
        .order_by(AccessRequest.created_at)
    )
    return list(db.session.scalars(query))


def decided_requests(limit: int = 50) -> list[AccessRequest]:
    query = (
        sa.select(AccessRequest)
        .where(AccessRequest.status != AccessRequestStatus.PENDING)
        .options(selectinload(AccessRequest.school), selectinload(AccessRequest.decided_by))
        .order_by(AccessRequest.decided_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def approve_request(request: AccessRequest, actor: User) -> Approval:
    """Create the school user (or add the school to their account) and close the request."""
    _require_pending(request)
    user = find_user_by_email(request.email)
    token = None
    if user is None:
        user, token = create_user(
            request.email, request.name, Role.SCHOOL, actor, {request.school: request.position}
        )
    elif user.role is not Role.SCHOOL:
        raise AccountError(
            _("Diese E-Mail-Adresse gehört zu einem Konto mit anderer Rolle. Bitte klären Sie das.")
        )
    else:
        current = {membership.school: membership.position for membership in user.memberships}
        _set_memberships(user, current | {request.school: request.position})
    _close(request, AccessRequestStatus.APPROVED, actor)
    request.user = user
    record("access_request.approved", request, actor, user_id=user.id)
    mailed = messages.access_approved(request, user, token) is not None
    return Approval(user=user, token=token, mailed=mailed)


def decline_request(request: AccessRequest, reason: str, actor: User) -> None:
    _require_pending(request)
    _close(request, AccessRequestStatus.DECLINED, actor)
    request.decline_reason = reason.strip()
    record("access_request.declined", request, actor, reason=request.decline_reason)
    messages.access_declined(request)


def _require_pending(request: AccessRequest) -> None:
    if request.status is not AccessRequestStatus.PENDING:
        raise AccountError(_("Über diese Anfrage wurde bereits entschieden."))


def _close(request: AccessRequest, status: AccessRequestStatus, actor: User) -> None:
    request.status = status
    request.decided_at = utcnow()
    request.decided_by = actor


def email_has_account(email: str) -> bool:
    return find_user_by_email(email) is not None
