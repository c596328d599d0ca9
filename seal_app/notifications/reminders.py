"""Reminders the worker sends every morning: the submission deadline to schools with a
draft, the review due date to assessors, and seals expiring in 12 and in 3 months. Each
reminder is one event, so running the task twice (or in two workers) sends nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.certificates.issuing import valid_on
from seal_app.certificates.models import Certificate
from seal_app.database import ConflictError, transaction
from seal_app.extensions import db
from seal_app.local_time import local_today, months_later
from seal_app.notifications import messages
from seal_app.reviews.models import Assignment, ConflictState, Review
from seal_app.rounds.services import open_round
from seal_app.tasks import periodic


@periodic(minute="0", hour="6")
def daily_reminders() -> None:
    send_reminders(local_today())


def send_reminders(today: date) -> None:
    deadline_reminders(today)
    review_reminders(today)
    expiry_reminders(today)


def step_for(remaining: int, steps: tuple[int, ...]) -> int | None:
    """The reminder step due with ``remaining`` left: the smallest step not below it (so a
    missed morning is caught up, and only the latest step is sent)."""
    due = [step for step in steps if 0 <= remaining <= step]
    return min(due) if due else None


def deadline_reminders(today: date) -> None:
    round_ = open_round()
    if round_ is None:
        return
    step = step_for(
        (round_.submission_deadline - today).days,
        tuple(current_app.config["DEADLINE_REMINDER_DAYS"]),
    )
    if step is None:
        return
    drafts = db.session.scalars(
        sa.select(Application.id).where(
            Application.round_id == round_.id, Application.status == ApplicationStatus.DRAFT
        )
    )
    for application_id in list(drafts):
        _each(messages.deadline_reminder, Application, application_id, step, today)


def review_reminders(today: date) -> None:
    days = current_app.config["REVIEW_REMINDER_DAYS"]
    open_reviews = (
        sa.select(Assignment.id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(
            Assignment.conflict_state != ConflictState.CONFLICT,
            Assignment.due_on.is_not(None),
            Assignment.due_on >= today,
            Assignment.due_on <= today + timedelta(days=days),
            sa.or_(Review.id.is_(None), Review.submitted_at.is_(None)),
        )
    )
    for assignment_id in list(db.session.scalars(open_reviews)):
        _each(messages.review_due, Assignment, assignment_id, today)


def expiry_reminders(today: date) -> None:
    steps = tuple(current_app.config["SEAL_EXPIRY_REMINDER_MONTHS"])
    horizon = months_later(today, max(steps))
    expiring = valid_on(today).where(Certificate.valid_until <= horizon)
    for certificate in list(db.session.scalars(expiring)):
        months = min(
            (step for step in steps if certificate.valid_until <= months_later(today, step)),
            default=None,
        )
        if months is not None:
            _each(messages.seal_expiring, Certificate, certificate.id, months)


def _each(write: Callable[..., object], model, object_id: int, *args: object) -> None:
    """``write(the object, *args)`` in a transaction of its own: another worker writing the
    same event at the same moment only costs this one reminder."""
    try:
        with transaction():
            write(db.session.get(model, object_id), *args)
    except ConflictError:
        pass
