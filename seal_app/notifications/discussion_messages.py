"""Mail about new comments in the jury's discussion: once per batch, not per comment.

A comment is stored with ``announced_at`` empty: that marker, written in the comment's own
transaction, is the whole queue, so nothing is lost when the task queue is down. Every minute
the worker looks for applications whose oldest comment not yet announced is at least
``NOTICE_DELAY`` old, and in one transaction per application claims all their comments not yet
announced (a conditional UPDATE: a second worker claiming the same ones finds them taken and
writes nothing) and writes one outbox message per participant, listing the new comments of the
others. The outbox's unique event key (application, last comment of the batch, recipient)
makes sure no message is written twice; the outbox then sends and retries as for every message.

Participants: the assigned assessors without a conflict whose review is submitted (the only
ones who may read the thread), and the office's address. Nobody hears of their own comment
(an office user's comment is not sent to the office's address). The mail names author, role
and time of each comment, never its text: the link leads to the thread behind the login.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from seal_app.applications.models import Application
from seal_app.auth.models import Role, User
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.outbox import absolute_url, write
from seal_app.notifications.school_recipients import OFFICE_KEY
from seal_app.reviews.discussion_models import DiscussionComment
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.reviews.submission import is_submitted
from seal_app.tasks import periodic

log = logging.getLogger(__name__)

NOTICE_DELAY = timedelta(minutes=5)
EVENT = "discussion.comments"


@dataclass(frozen=True)
class Participant:
    """Someone told of new comments: an assessor (``user``) or the office (``user`` None)."""

    address: str
    user: User | None
    key: str

    def wrote(self, comment: DiscussionComment) -> bool:
        if self.user is None:
            return comment.author_role is Role.OFFICE
        return comment.author_id == self.user.id


@periodic(minute="*")
def announce_comments() -> int:
    return announce_due(utcnow())


def announce_due(now: datetime) -> int:
    """Announce every batch whose first comment waited ``NOTICE_DELAY``; how many batches."""
    due = (
        sa.select(DiscussionComment.application_id)
        .where(DiscussionComment.announced_at.is_(None))
        .group_by(DiscussionComment.application_id)
        .having(sa.func.min(DiscussionComment.created_at) <= now - NOTICE_DELAY)
        .order_by(DiscussionComment.application_id)
    )
    done = 0
    for application_id in list(db.session.scalars(due)):
        try:
            with transaction():
                done += _announce(application_id, now)
        except ConflictError:
            log.info("discussion of application %s announced by another worker", application_id)
    return done


def _announce(application_id: int, now: datetime) -> int:
    """Claim the application's comments not yet announced and tell the participants; 0 when
    another worker claimed them first."""
    batch = list(
        db.session.scalars(
            sa.select(DiscussionComment)
            .where(
                DiscussionComment.application_id == application_id,
                DiscussionComment.announced_at.is_(None),
                DiscussionComment.created_at <= now,
            )
            .order_by(DiscussionComment.created_at, DiscussionComment.id)
        )
    )
    if not batch:
        return 0
    claimed = db.session.execute(
        sa.update(DiscussionComment)
        .where(
            DiscussionComment.id.in_([item.id for item in batch]),
            DiscussionComment.announced_at.is_(None),
        )
        .values(announced_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != len(batch):
        raise ConflictError
    shown = [item for item in batch if not item.is_withdrawn]
    application = db.session.get(Application, application_id)
    last = batch[-1].id
    for participant in participants_of(application):
        theirs = [item for item in shown if not participant.wrote(item)]
        if theirs:
            write(
                EVENT,
                f"discussion:{application_id}:{last}:{participant.key}",
                participant.address,
                "discussion_comments",
                user=participant.user,
                application=application,
                comments=theirs,
                link=absolute_url("jury.discussion", application_id=application_id),
            )
    return 1


def participants_of(application: Application) -> list[Participant]:
    """Who may read the thread and hears of new comments: see the module's docstring."""
    assignments = db.session.scalars(
        sa.select(Assignment)
        .where(
            Assignment.application_id == application.id,
            Assignment.conflict_state == ConflictState.NONE,
        )
        .order_by(Assignment.id)
    )
    people = [
        Participant(item.assessor.email, item.assessor, str(item.assessor_id))
        for item in assignments
        if is_submitted(item) and item.assessor.is_enabled
    ]
    return [*people, Participant(current_app.config["OFFICE_EMAIL"], None, OFFICE_KEY)]
