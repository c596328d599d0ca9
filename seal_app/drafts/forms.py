"""The form side of kept drafts: the token rendered beside every CSRF field, and filling a
form on its page's GET from a draft its owner left there."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import _FlaskFormCSRF
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import FileField, HiddenField, PasswordField
from wtforms.csrf.core import CSRFTokenField

from seal_app.drafts import services
from seal_app.drafts.tokens import TOKEN_FIELD, make_token


def is_login_protected() -> bool:
    """Whether the view of this request lets only logged-in people in."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "login_protected", False))


def form_home() -> str:
    """Where a form rendered now belongs: the page it was first shown on (a form shown again
    after a failed save keeps the page of the form that was sent), else this page."""
    owner = g.get("draft_owner")
    return owner.path if owner is not None else request.path


def token_input(csrf_name: str = "") -> Markup:
    """The hidden draft token for a form on a login-protected page, or nothing; marked when
    the form was filled from a kept draft (drafts.js then keeps a browser copy of it too), and
    when it shows what was just sent (saved, or shown again with an error): drafts.js then
    replaces its copy with the page instead of putting an older copy over it."""
    if not current_user.is_authenticated or not is_login_protected():
        return Markup("")
    home = form_home()
    marks = ""
    if csrf_name in g.get("forms_restored", ()):
        marks = " data-draft-restored"
    elif request.method == "POST" and csrf_name and csrf_name in request.form:
        marks = " data-draft-fresh"
    return Markup('<input type="hidden" name="{}" value="{}" data-draft-path="{}"{}>').format(
        TOKEN_FIELD, make_token(current_user.id, home), home, Markup(marks)
    )


class DraftTokenCSRFField(CSRFTokenField):
    """The CSRF field, rendered with the draft token beside it: every form has one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type = "CSRFTokenField"  # what error summaries look for

    def __call__(self, *args, **kwargs) -> Markup:
        return Markup(super().__call__(*args, **kwargs)) + token_input(self.name)


class DraftTokenCSRF(_FlaskFormCSRF):
    field_class = DraftTokenCSRFField


def _restorable(field) -> bool:
    if isinstance(field, FileField | PasswordField | CSRFTokenField):
        return False
    # hidden fields are the app's own bookkeeping; only the version shown is the person's
    return not isinstance(field, HiddenField) or type(field).__name__ == "VersionField"


def _sent_in(field, values: MultiDict) -> bool:
    return any(name == field.name or name.startswith(field.name + "-") for name in values)


def _draft_here():
    """The logged-in person's kept draft for this page (looked up once per request)."""
    if "kept_draft_here" not in g:
        maybe = getattr(current_user, "may_have_drafts", True)  # see auth.login.load_user
        g.kept_draft_here = services.find(current_user.id, request.path) if maybe else None
    return g.kept_draft_here


def restore_kept_draft(form) -> None:
    """On a page's GET, put the text its owner typed back into the form it was sent from,
    and note that the page must say so (``base.html`` shows the notice). The draft stays until
    the form is saved, it is discarded or it expires: a reload shows it again."""
    if request.method != "GET" or not current_user.is_authenticated:
        return
    draft = _draft_here()
    if draft is None:
        return
    values = MultiDict(services.fields_of(draft))
    fields = [field for field in form if _restorable(field)]
    if not any(_sent_in(field, values) for field in fields):
        return  # another form on the page
    for field in fields:
        field.process(values, data=field.object_data)
    g.drafts_shown = {*g.get("drafts_shown", set()), draft.id}
    csrf_field = getattr(form, form.meta.csrf_field_name, None)
    if csrf_field is not None:
        g.forms_restored = {*g.get("forms_restored", set()), csrf_field.name}
    g.draft_notice_files = g.get("draft_notice_files", False) or draft.had_files
