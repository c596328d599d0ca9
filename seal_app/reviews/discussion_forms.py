"""Forms of the jury's discussion: a new comment, its correction, withdrawing it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from seal_app.forms import BaseForm, VersionField, max_length, required
from seal_app.reviews.discussion import COMMENT_LIMIT


class CommentForm(BaseForm):
    body = TextAreaField(
        _l("Ihr Beitrag"),
        description=_l("Nur Text, ohne Formatierung; Zeilenumbrüche bleiben erhalten."),
        validators=[required(_l("Bitte schreiben Sie Ihren Beitrag.")), max_length(COMMENT_LIMIT)],
        render_kw={"rows": 6},
    )


class EditCommentForm(CommentForm):
    version = VersionField()


class WithdrawCommentForm(BaseForm):
    version = VersionField()
