"""The messages the app sends, one function per event. Each runs in the caller's transaction
and writes at most one outbox message per event and recipient (see ``outbox.write``)."""

from __future__ import annotations

import hashlib
from datetime import date

import sqlalchemy as sa
from flask import current_app

from seal_app.accounts.models import AccessRequest
from seal_app.applications.models import Application, EvidenceRequest, Receipt
from seal_app.auth.models import Role, User
from seal_app.certificates.models import Certificate, Decision
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.mime import Attachment
from seal_app.notifications.outbox import OutboxMessage, absolute_url, write
from seal_app.notifications.school_recipients import (
    OFFICE_KEY,
    recipients_of,
    staff_of,
)
from seal_app.reviews.models import Assignment, ConflictState, Review
from seal_app.rounds.models import Round
from seal_app.uploads import store


def _office() -> str:
    return current_app.config["OFFICE_EMAIL"]


def access_request_received(request: AccessRequest) -> OutboxMessage | None:
    """To the office: a school asks for access."""
    return write(
        "access_request.received",
        f"access_request:{request.id}:received",
        _office(),
        "access_request_received",
        request=request,
        link=absolute_url("accounts.access_requests"),
    )


def access_approved(request: AccessRequest, user: User, token: str | None) -> OutboxMessage | None:
    """To the person: access granted, with the set-password link for a new account."""
    link = absolute_url("auth.set_password", token=token) if token else None
    return write(
        "access_request.approved",
        f"access_request:{request.id}:approved",
        user.email,
        "access_approved",
        request=request,
        user=user,
        link=link,
        login=absolute_url("auth.login"),
        hours=current_app.config["PASSWORD_LINK_HOURS"],
    )


def access_declined(request: AccessRequest) -> OutboxMessage | None:
    """To the person: the request was declined, with the office's reason."""
    return write(
        "access_request.declined",
        f"access_request:{request.id}:declined",
        request.email,
        "access_declined",
        request=request,
    )


def password_reset(user: User, token: str) -> OutboxMessage | None:
    """To the account's address: a link to set a new password („Passwort vergessen?“)."""
    return write(
        "password.reset",
        f"password_reset:{hashlib.sha256(token.encode()).hexdigest()[:32]}",
        user.email,
        "password_reset",
        user=user,
        link=absolute_url("auth.set_password", token=token),
        hours=current_app.config["PASSWORD_RESET_HOURS"],
    )


def second_factor_reset(user: User, actor: User | None) -> OutboxMessage | None:
    """To the account's address: its second factor was reset (by the office or the command
    line); the next login sets one up again."""
    return write(
        "second_factor.reset",
        f"second_factor_reset:{user.id}:{utcnow().isoformat()}",
        user.email,
        "second_factor_reset",
        user=user,
        actor=actor,
        login=absolute_url("auth.login"),
    )


# --- the school journey, the review and the seal ----------------------------------------------


def round_opened(round_: Round) -> int:
    """To every school staff account: a new round is open; how many messages."""
    users = db.session.scalars(
        sa.select(User).where(User.role == Role.SCHOOL, User.is_enabled.is_(True)).order_by(User.id)
    )
    written = [
        write(
            "round.opened",
            f"round_opened:{round_.id}:{user.id}",
            user.email,
            "round_opened",
            user=user,
            round=round_,
            link=absolute_url("main.home"),
        )
        for user in users
    ]
    return sum(item is not None for item in written)


def submission_received(application: Application, receipt: Receipt, file_name: str) -> None:
    """To the school's staff: the application is in, with the receipt (the stored PDF, the
    document of record) attached, so the school keeps it without logging in."""
    attachment = Attachment(
        file_name, "application/pdf", store.path_of(receipt.stored_name).read_bytes()
    )
    for user in staff_of(application.school):
        write(
            "application.submitted",
            f"submitted:{application.id}:{receipt.sha256[:32]}:{user.id}",
            user.email,
            "submission_received",
            attachments=[attachment],
            user=user,
            application=application,
            receipt=receipt,
            link=absolute_url("applications.submitted", application_id=application.id),
        )


def more_requested(application: Application, request: EvidenceRequest) -> None:
    """To the school's staff: the jury asks for more on some criteria."""
    for user in staff_of(application.school):
        write(
            "evidence.requested",
            f"evidence_request:{request.id}:{user.id}",
            user.email,
            "more_requested",
            user=user,
            application=application,
            request=request,
            link=absolute_url("applications.overview", application_id=application.id),
        )


def school_answered(application: Application, request: EvidenceRequest) -> None:
    """To the application's assessors (without a conflict): the school has answered."""
    assignments = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.application_id == application.id,
            Assignment.conflict_state == ConflictState.NONE,
        )
    )
    for assignment in assignments:
        if not assignment.assessor.is_enabled:
            continue
        write(
            "evidence.answered",
            f"evidence_answered:{request.id}:{assignment.assessor_id}",
            assignment.assessor.email,
            "school_answered",
            user=assignment.assessor,
            application=application,
            request=request,
            link=absolute_url("reviews.overview", assignment_id=assignment.id),
        )


def assigned(assignment: Assignment) -> None:
    """To the assessor: a new application to review."""
    write(
        "assignment.created",
        f"assignment:{assignment.id}",
        assignment.assessor.email,
        "assigned",
        user=assignment.assessor,
        assignment=assignment,
        application=assignment.application,
        link=absolute_url("reviews.declaration", assignment_id=assignment.id),
    )


def review_reopened(assignment: Assignment, review: Review) -> None:
    """To the assessor: the office has opened the submitted review again, with its reason
    (each reopening is its own event: the review's version is in the key)."""
    write(
        "review.reopened",
        f"review_reopened:{review.id}:v{review.version}",
        assignment.assessor.email,
        "review_reopened",
        user=assignment.assessor,
        application=assignment.application,
        review=review,
        link=absolute_url("reviews.overview", assignment_id=assignment.id),
    )


def review_due(assignment: Assignment, today: date) -> OutboxMessage | None:
    """To the assessor: the review is due in a few days (once per due date)."""
    return write(
        "review.due",
        f"review_due:{assignment.id}:{assignment.due_on.isoformat()}",
        assignment.assessor.email,
        "review_due",
        user=assignment.assessor,
        assignment=assignment,
        application=assignment.application,
        days=(assignment.due_on - today).days,
        link=absolute_url("reviews.overview", assignment_id=assignment.id),
    )


def decision_released(decision: Decision) -> None:
    """To the school's staff: the decision is out, with the link to the feedback."""
    application = decision.application
    for recipient in recipients_of(application.school):
        write(
            "decision.released",
            f"decision_released:{decision.id}:{recipient.key}",
            recipient.address,
            "decision_released",
            user=recipient.user,
            application=application,
            decision=decision,
            link=absolute_url("decisions.feedback_page", application_id=application.id),
        )


def deadline_reminder(application: Application, days: int, today: date) -> None:
    """To the staff of a school with a draft: the deadline is ``days`` away at most."""
    round_ = application.round
    for user in staff_of(application.school):
        write(
            "deadline.reminder",
            f"deadline:{round_.id}:{days}:{application.id}:{user.id}",
            user.email,
            "deadline_reminder",
            user=user,
            application=application,
            round=round_,
            days_left=(round_.submission_deadline - today).days,
            link=absolute_url("applications.overview", application_id=application.id),
        )


def seal_expiring(certificate: Certificate, months: int) -> None:
    """To the school's staff and, as a copy, to the office: the seal ends in ``months``."""
    _to_school_and_office(
        "seal.expiring",
        f"{seal_expiring_prefix(certificate)}{months}",
        "seal_expiring",
        certificate,
        months=months,
        link=absolute_url("main.home"),
    )


def seal_expiring_prefix(certificate: Certificate) -> str:
    """The start of the event keys of every expiry reminder of the certificate."""
    return f"seal_expiring:{certificate.id}:"


def certificate_revoked_key(certificate: Certificate) -> str:
    """The start of the event keys of the revocation's messages."""
    return f"certificate_revoked:{certificate.id}"


def certificate_revoked(certificate: Certificate) -> None:
    """To the school's staff and, as a copy, to the office: the certificate is revoked, with
    the date and the reason."""
    _to_school_and_office(
        "certificate.revoked",
        certificate_revoked_key(certificate),
        "certificate_revoked",
        certificate,
        link=(
            absolute_url("applications.overview", application_id=certificate.application_id)
            if certificate.application_id
            else absolute_url("main.home")
        ),
    )


def _to_school_and_office(
    event: str, key: str, template: str, certificate: Certificate, **context: object
) -> None:
    """One message to each of the school's recipients (``recipients_of``) and a copy to the
    office naming them (``copy`` is true in it)."""
    school = certificate.school
    recipients = recipients_of(school)
    for recipient in recipients:
        write(
            event,
            f"{key}:{recipient.key}",
            recipient.address,
            template,
            user=recipient.user,
            copy=False,
            certificate=certificate,
            school=school,
            **context,
        )
    write(
        event,
        f"{key}:{OFFICE_KEY}",
        _office(),
        template,
        user=None,
        copy=True,
        told=[recipient.address for recipient in recipients],
        certificate=certificate,
        school=school,
        **context,
    )
