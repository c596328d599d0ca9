"""The jury's discussion of an application: the thread, a comment's correction and its
withdrawal. Who sees what is decided in ``discussion.seat_of``: everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications.models import Application
from seal_app.auth.decorators import login_required
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications import discussion_messages  # noqa: F401  (marks its periodic task)
from seal_app.reviews import discussion
from seal_app.reviews.discussion import DiscussionError, Seat
from seal_app.reviews.discussion_forms import (
    EditCommentForm,
    NewCommentForm,
    WithdrawCommentForm,
)
from seal_app.reviews.discussion_models import DiscussionComment
from seal_app.reviews.jury_blueprint import bp
from seal_app.reviews.models import Assignment
from seal_app.views import get_or_404, save_versioned

SAVED_NOTICE = "discussion_saved"  # [comment id, message] for the thread's next page


@bp.app_template_global()
def discussion_count(application: Application) -> int | None:
    """How many comments the thread holds, for the link beside it; None when the current
    person may not see the thread (then no page shows a link to it)."""
    if not current_user.is_authenticated:
        return None
    if discussion.seat_of(current_user, application) is None:
        return None
    return discussion.comment_count(application.id)


@bp.app_template_global()
def discussion_counts(assignments: Iterable[Assignment]) -> dict[int, int]:
    """For the assessor's home page, in one query: application id -> comment count of the
    threads the assessor may read through these assignments."""
    readable = [item.application_id for item in assignments if discussion.may_read(item)]
    return discussion.counts_of(readable)


def _seat(application_id: int) -> Seat:
    application = get_or_404(Application, application_id)
    return discussion.seat_of(current_user, application) or abort(404)


def _own(seat: Seat, comment_id: int) -> DiscussionComment:
    """The comment in this thread written by the current person; 404 for any other."""
    comment = discussion.comment_in(seat.application.id, comment_id)
    if comment is None or not discussion.is_author(comment, seat.user):
        abort(404)
    return comment


def _thread(seat: Seat, anchor: str | None = None) -> str:
    return url_for("jury.discussion", application_id=seat.application.id, _anchor=anchor)


def _back_to_comment(seat: Seat, comment_id: int, message: str):
    """To the thread at the comment just saved; the page says so beside it and moves the focus
    there (a message above the heading would be out of sight on a phone)."""
    session[SAVED_NOTICE] = [comment_id, message]
    return redirect(_thread(seat, f"comment-{comment_id}"), 303)


@bp.route(
    "/applications/<int:application_id>/discussion",
    methods=["GET", "POST"],
    endpoint="discussion",
)
@login_required
def discussion_page(application_id: int):
    seat = _seat(application_id)
    form = NewCommentForm()
    if request.method == "POST" and not seat.can_write:
        form.body.errors = [
            _("Über den Antrag ist entschieden. Die Diskussion kann nur noch gelesen werden.")
        ]
    elif request.method == "POST" and form.validate_on_submit():
        comment_id = _post(seat, form)
        if comment_id is not None:
            return _back_to_comment(seat, comment_id, _("Ihr Beitrag ist gespeichert."))
    comments = discussion.comments_of(application_id)
    now = utcnow()
    saved_id, saved_message = session.pop(SAVED_NOTICE, None) or (None, "")
    return render_template(
        "reviews/discussion.html",
        seat=seat,
        application=seat.application,
        comments=comments,
        editable={item.id for item in comments if discussion.can_edit(item, now)},
        form=form,
        saved_id=saved_id,
        saved_message=saved_message,
    )


def _post(seat: Seat, form: NewCommentForm) -> int | None:
    """Store the new comment (once, however often the form is sent); its id, or None with
    the reason at the field."""
    nonce = form.nonce.data or ""
    try:
        with transaction():
            return discussion.add_comment(seat, form.body.data or "", utcnow(), nonce).id
    except DiscussionError as error:
        form.body.errors = [str(error)]
    except ConflictError:  # the same form sent twice at the same moment: the first one counts
        earlier = discussion.sent_before(seat, nonce)
        if earlier is not None:
            return earlier.id
        form.body.errors = [
            _(
                "Ihr Beitrag konnte gerade nicht gespeichert werden. Bitte senden Sie ihn "
                "erneut; Ihr Text steht noch im Formular."
            )
        ]
    return None


@bp.route(
    "/applications/<int:application_id>/discussion/<int:comment_id>/edit",
    methods=["GET", "POST"],
)
@login_required
def edit_comment(application_id: int, comment_id: int):
    seat = _seat(application_id)
    comment = _own(seat, comment_id)
    form = EditCommentForm(data={"body": comment.body, "version": comment.version})
    stale = None
    if request.method == "POST" and form.validate_on_submit():
        saved, stale = _save_edit(seat, comment, form)
        if saved:
            return _back_to_comment(seat, comment.id, _("Ihr Beitrag ist geändert."))
    return render_template(
        "reviews/discussion_edit.html",
        seat=seat,
        application=seat.application,
        comment=comment,
        form=form,
        stale=stale,
        editable=seat.can_write and discussion.can_edit(comment, utcnow()),
    )


def _save_edit(seat: Seat, comment: DiscussionComment, form: EditCommentForm):
    def save() -> None:
        discussion.edit_comment(seat, comment, form.body.data or "", form.version.data, utcnow())

    def refused(message: str) -> None:
        form.body.errors = [*form.body.errors, message]

    return _save(comment, form, save, refused)


def _save(
    comment: DiscussionComment,
    form: EditCommentForm | WithdrawCommentForm,
    save: Callable[[], None],
    refused: Callable[[str], None],
):
    """``save_versioned`` for a comment; a broken rule goes to ``refused``, nothing is stored."""
    try:
        return save_versioned(form, save, lambda: db.session.get(DiscussionComment, comment.id))
    except DiscussionError as error:
        refused(str(error))
        return False, None


@bp.route(
    "/applications/<int:application_id>/discussion/<int:comment_id>/withdraw",
    methods=["GET", "POST"],
)
@login_required
def withdraw_comment(application_id: int, comment_id: int):
    seat = _seat(application_id)
    comment = _own(seat, comment_id)
    form = WithdrawCommentForm(data={"version": comment.version})
    if request.method == "POST" and form.validate_on_submit():
        saved, _stale = _withdraw(seat, comment, form)
        if saved:
            return _back_to_comment(seat, comment.id, _("Ihr Beitrag ist zurückgezogen."))
    return render_template(
        "reviews/discussion_withdraw.html",
        seat=seat,
        application=seat.application,
        comment=comment,
        form=form,
    )


def _withdraw(seat: Seat, comment: DiscussionComment, form: WithdrawCommentForm):
    def save() -> None:
        discussion.withdraw_comment(seat, comment, form.version.data, utcnow())

    return _save(comment, form, save, lambda message: flash(message, "danger"))
