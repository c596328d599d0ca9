"""Forms of the jury's discussion: a new comment, its correction, withdrawing it."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField

from seal_app.forms import BaseForm, VersionField, max_length, required
from seal_app.reviews.discussion import COMMENT_LIMIT


class CommentForm(BaseForm):
    body = TextAreaField(
        _l("Ihr Beitrag"),
        description=_l("Nur Text, ohne Formatierung; Zeilenumbrüche bleiben erhalten."),
        validators=[required(_l("Bitte schreiben Sie Ihren Beitrag.")), max_length(COMMENT_LIMIT)],
        render_kw={"rows": 6},
    )


class NewCommentForm(CommentForm):
    """A new comment, with a value made for this one form: sending it twice stores it once."""

    nonce = HiddenField(default=lambda: secrets.token_urlsafe(24))


class EditCommentForm(CommentForm):
    version = VersionField()


class WithdrawCommentForm(BaseForm):
    version = VersionField()
