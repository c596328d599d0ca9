"""The jury's discussion of an application: who may read and write the thread, and the
comments' rules (plain text, a length limit, edits by the author for a short while, then only
withdrawing).

Independence: an assessor reads the thread only once their own review is submitted, so that
nobody's scoring leans on the others'. The office reads it always and writes while the
application is being reviewed; after the decision the thread stays readable, unchanged.

The services are wrapped by the caller in ``transaction()`` (routes: ``save_versioned``); each
writes an audit entry. The audit log keeps the length and the SHA-256 of a text that was
replaced or withdrawn, not the text itself: a withdrawn comment is meant to be gone, and the
hash still shows whether a copy someone kept is what once stood there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from seal_app.applications import access
from seal_app.applications.models import Application, ApplicationStatus
from seal_app.audit.services import record
from seal_app.auth.models import Role, User
from seal_app.database import claim_version
from seal_app.extensions import db
from seal_app.forms import has_control_characters
from seal_app.reviews.discussion_models import DiscussionComment
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.reviews.submission import is_submitted

COMMENT_LIMIT = 5000  # characters
EDIT_WINDOW = timedelta(minutes=15)
# while these hold, the thread is written to; before (a draft) there is none, after it is read
OPEN_STATES = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_REQUESTED, ApplicationStatus.IN_REVIEW}
)


class DiscussionError(Exception):
    """A rule of the discussion was broken; the message is for the user."""


@dataclass(frozen=True)
class Seat:
    """The current person's place in a thread: whether they may write in it now."""

    application: Application
    user: User
    can_write: bool


def is_open(application: Application) -> bool:
    """Whether comments may be written: the application is under review, not yet decided."""
    return application.decided_at is None and application.status in OPEN_STATES


def seat_of(user: User, application: Application) -> Seat | None:
    """The user's place in the application's thread, or None when they may not see it at all
    (the school, an assessor not assigned, conflicted or not yet submitted; anyone for a draft)."""
    if application.status is ApplicationStatus.DRAFT:
        return None
    if user.role is Role.OFFICE:
        return Seat(application, user, is_open(application))
    if user.role is not Role.ASSESSOR:
        return None
    assignment = access.cleared_assignment(user, application.id)
    if assignment is None or not may_read(assignment):
        return None
    return Seat(application, user, is_open(application))


def may_read(assignment: Assignment) -> bool:
    """Whether the assessor of the assignment reads its application's thread: declared free of
    conflict and their review submitted (reads only what is loaded with the assignment)."""
    return (
        assignment.conflict_state is ConflictState.NONE
        and is_submitted(assignment)
        and assignment.application.status is not ApplicationStatus.DRAFT
    )


def counts_of(application_ids: Iterable[int]) -> dict[int, int]:
    """``comment_count`` of several threads in one query (threads without comments: 0)."""
    ids = list(application_ids)
    query = (
        sa.select(DiscussionComment.application_id, sa.func.count(DiscussionComment.id))
        .where(
            DiscussionComment.application_id.in_(ids),
            DiscussionComment.withdrawn_at.is_(None),
        )
        .group_by(DiscussionComment.application_id)
    )
    counts = dict.fromkeys(ids, 0)
    for application_id, count in db.session.execute(query):
        counts[application_id] = count
    return counts


def comments_of(application_id: int) -> list[DiscussionComment]:
    """The thread, oldest first."""
    return list(
        db.session.scalars(
            sa.select(DiscussionComment)
            .where(DiscussionComment.application_id == application_id)
            .options(selectinload(DiscussionComment.author))
            .order_by(DiscussionComment.created_at, DiscussionComment.id)
        )
    )


def comment_count(application_id: int) -> int:
    """How many comments stand in the thread (withdrawn ones not counted)."""
    return db.session.scalar(
        sa.select(sa.func.count(DiscussionComment.id)).where(
            DiscussionComment.application_id == application_id,
            DiscussionComment.withdrawn_at.is_(None),
        )
    )


def comment_in(application_id: int, comment_id: int) -> DiscussionComment | None:
    comment = db.session.get(DiscussionComment, comment_id)
    if comment is None or comment.application_id != application_id:
        return None
    return comment


def is_author(comment: DiscussionComment, user: User) -> bool:
    return comment.author_id is not None and comment.author_id == user.id


def edit_ends(comment: DiscussionComment) -> datetime:
    return comment.created_at + EDIT_WINDOW


def can_edit(comment: DiscussionComment, now: datetime) -> bool:
    """Editable: not withdrawn and within the edit window (the author is checked apart)."""
    return not comment.is_withdrawn and now < edit_ends(comment)


def checked_text(text: str) -> str:
    """The comment as it is stored: line breaks kept, white space around it removed."""
    text = text.strip()
    if not text:
        raise DiscussionError(_("Bitte schreiben Sie Ihren Beitrag."))
    if has_control_characters(text.replace("\n", "").replace("\t", "")):
        raise DiscussionError(
            _(
                "Ihr Beitrag enthält unsichtbare Steuerzeichen (etwa eine Umkehr der "
                "Schreibrichtung). Bitte entfernen Sie sie; Zeilenumbrüche sind erlaubt."
            )
        )
    if len(text) > COMMENT_LIMIT:
        raise DiscussionError(
            _(
                "Der Beitrag ist zu lang (höchstens %(limit)s Zeichen).",
                limit=format_number(COMMENT_LIMIT),
            )
        )
    return text


def sent_before(seat: Seat, nonce: str) -> DiscussionComment | None:
    """The seat's comment already stored from the form with this one-time value, if any."""
    if not nonce:
        return None
    return db.session.scalar(
        sa.select(DiscussionComment).where(
            DiscussionComment.form_nonce == nonce,
            DiscussionComment.application_id == seat.application.id,
            DiscussionComment.author_id == seat.user.id,
        )
    )


def add_comment(seat: Seat, text: str, now: datetime, nonce: str = "") -> DiscussionComment:
    """A new comment by the seat's person; the others hear of it a few minutes later. The same
    form sent again (``nonce``) stores nothing new: the comment stored first is returned."""
    _require_writing(seat)
    earlier = sent_before(seat, nonce)
    if earlier is not None:
        return earlier
    comment = DiscussionComment(
        application_id=seat.application.id,
        author_id=seat.user.id,
        author_role=seat.user.role,
        body=checked_text(text),
        created_at=now,
        form_nonce=nonce[:64] or None,
    )
    db.session.add(comment)
    db.session.flush()
    _record("discussion.comment_added", comment, seat, length=len(comment.body))
    return comment


def edit_comment(
    seat: Seat, comment: DiscussionComment, text: str, expected_version: int | None, now: datetime
) -> None:
    """The author's correction within the edit window; a stale form is refused."""
    _require_own(seat, comment)
    if comment.is_withdrawn:
        raise DiscussionError(_("Dieser Beitrag ist zurückgezogen und kann nicht geändert werden."))
    if not can_edit(comment, now):
        raise DiscussionError(
            _(
                "Ein Beitrag kann nur in den ersten %(minutes)d Minuten geändert werden. Sie "
                "können ihn zurückziehen und einen neuen schreiben; Ihr Text steht noch im "
                "Formular.",
                minutes=int(EDIT_WINDOW.total_seconds() // 60),
            )
        )
    new_text = checked_text(text)
    claim_version(comment, expected_version)
    old_text = comment.body
    comment.body, comment.edited_at = new_text, now
    _record(
        "discussion.comment_edited",
        comment,
        seat,
        old_length=len(old_text),
        old_sha256=_sha256(old_text),
        length=len(new_text),
    )


def withdraw_comment(
    seat: Seat, comment: DiscussionComment, expected_version: int | None, now: datetime
) -> None:
    """Final: the comment keeps its place, author and time; its text is erased."""
    _require_own(seat, comment)
    if comment.is_withdrawn:
        raise DiscussionError(_("Dieser Beitrag ist bereits zurückgezogen."))
    claim_version(comment, expected_version)
    old_text = comment.body
    comment.body, comment.withdrawn_at = "", now
    _record(
        "discussion.comment_withdrawn",
        comment,
        seat,
        old_length=len(old_text),
        old_sha256=_sha256(old_text),
    )


def _require_writing(seat: Seat) -> None:
    if not seat.can_write:
        raise DiscussionError(
            _("Über den Antrag ist entschieden. Die Diskussion kann nur noch gelesen werden.")
        )


def _require_own(seat: Seat, comment: DiscussionComment) -> None:
    """Only the author changes a comment (routes answer 404 to anyone else before this)."""
    if not is_author(comment, seat.user):
        raise DiscussionError(_("Nur die Verfasserin oder der Verfasser kann den Beitrag ändern."))
    _require_writing(seat)


def _record(action: str, comment: DiscussionComment, seat: Seat, **details: object) -> None:
    record(
        action,
        comment,
        seat.user,
        application_id=comment.application_id,
        school_id=seat.application.school_id,
        **details,
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
