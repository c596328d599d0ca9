"""Re-authentication: the password or a code given within ``REAUTH_MINUTES`` before grave
actions (revoking, releasing, changing a role, exports with personal data, factors).

A page holding such a form asks first („Bitte bestätigen Sie, dass Sie es sind“) and returns
to itself. When the time ran out while the form was open, its POST is answered with the same
question, the form's fields carried along hidden: confirming sends the form on, nothing typed
is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth import passwords
from seal_app.auth.decorators import check_roles
from seal_app.auth.models import Role, SecurityEventKind, User
from seal_app.database import transaction
from seal_app.db_types import utcnow
from seal_app.twofactor import services as factors
from seal_app.twofactor import totp
from seal_app.twofactor.blueprint import bp, log_event, next_target
from seal_app.twofactor.forms import CODE_LIMIT, ConfirmCodeForm, ConfirmPasswordForm

# the question's own fields; the form's CSRF token travels with it and serves the question too
CONFIRM_FIELDS = {"confirm_password", "confirm_code", "confirming"}


def recent_authentication_required(view: Callable) -> Callable:
    """Decorate a view (inside its permission check) that needs a recent confirmation."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        user_session = g.get("user_session")
        if current_user.is_anonymous or user_session is None:
            return view(*args, **kwargs)  # the permission check has answered already
        if factors.recently_confirmed(user_session):
            return view(*args, **kwargs)
        if not current_user.is_authenticated:  # a set-up begun too long after the password
            return redirect(url_for("auth.login"))
        if request.method == "GET":
            here = request.full_path if request.query_string else request.path
            return redirect(url_for("twofactor.confirm", next=here))
        if "confirming" in request.form and _confirmed(current_user._get_current_object()):
            return view(*args, **kwargs)
        return _ask(request.full_path if request.query_string else request.path, carried=True)

    return wrapped


@bp.route("/account/confirm", methods=["GET", "POST"])
def confirm():
    """The question on its own page, for a page that is shown only after it."""
    refusal = check_roles(*Role)  # a login still waiting for its factor: the code page
    if refusal is not None:
        return refusal
    if request.method == "POST" and _confirmed(current_user._get_current_object()):
        return redirect(next_target())
    return _ask(url_for(".confirm"), carried=False)


def _confirmed(user: User) -> bool:
    """Check the password or the code sent with the question; note success in the session."""
    password_form, code_form = ConfirmPasswordForm(), ConfirmCodeForm()
    g.confirm_forms = (password_form, code_form)
    if factors.attempts_exhausted(user):
        g.confirm_refused = True
        return False
    form = code_form if "confirm_code" in request.form else password_form
    if not form.validate():
        return False
    if not factors.claim_attempt(user):
        g.confirm_refused = True
        return False
    with transaction():
        if form is code_form:
            typed = code_form.confirm_code.data
            proven = len(typed) <= CODE_LIMIT and factors.check_totp(user, typed)
        else:
            proven = passwords.verify_password(
                user.password_hash, password_form.confirm_password.data
            )
        if proven:
            g.user_session.confirmed_at = utcnow()
        log_event(
            SecurityEventKind.REAUTH_SUCCEEDED if proven else SecurityEventKind.REAUTH_FAILED, user
        )
    if proven:
        factors.attempt_was_right(user)
    else:
        field = code_form.confirm_code if form is code_form else password_form.confirm_password
        field.errors.append(
            totp.refusal(
                code_form.confirm_code.data,
                _("Der Code ist nicht richtig oder wurde schon verwendet."),
            )
            if form is code_form
            else _("Das Passwort ist nicht richtig.")
        )
    return proven


def _ask(action: str, carried: bool):
    """The question, answered to ``action``; with the form's own fields when ``carried``."""
    password_form, code_form = g.get("confirm_forms") or (ConfirmPasswordForm(), ConfirmCodeForm())
    if carried:
        hidden = [
            (name, value)
            for name, value in request.form.items(multi=True)
            if name not in CONFIRM_FIELDS
        ]
    else:
        hidden = [("next", next_target())]
    user = current_user._get_current_object()
    page = render_template(
        "twofactor/confirm.html",
        action=action,
        hidden=hidden,
        carried=carried,
        password_form=password_form,
        code_form=code_form if factors.totp_of(user) is not None else None,
        refused=g.get("confirm_refused", False),
    )
    return page, 429 if g.get("confirm_refused") else 200
