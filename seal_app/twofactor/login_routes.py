"""The second step of a login: a code from the app, a passkey or a recovery code."""

from __future__ import annotations

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from seal_app.auth import throttle
from seal_app.auth.login import complete_login
from seal_app.auth.models import SecurityEventKind, User
from seal_app.database import transaction
from seal_app.twofactor import passkeys, recovery, totp
from seal_app.twofactor import services as factors
from seal_app.twofactor.blueprint import bp, log_event, next_target
from seal_app.twofactor.forms import CODE_LIMIT, CodeForm, PasskeyForm, RecoveryCodeForm


@bp.route("/login/code", methods=["GET", "POST"])
def verify():
    user = factors.pending_user()
    if user is None:
        done = current_user.is_authenticated
        return redirect(next_target() if done else url_for("auth.login"))
    if not factors.has_factor(user):
        return redirect(url_for(".setup", next=next_target()))
    forms = {"code": CodeForm(), "recovery": RecoveryCodeForm(), "passkey": PasskeyForm()}
    sent = _sent_form(forms)
    if sent is not None and factors.attempts_exhausted(user):
        return _refused(user, forms)
    if sent is not None and forms[sent].validate():
        if not factors.claim_attempt(user):
            return _refused(user, forms)
        with transaction():
            proven = _check(user, sent, forms[sent])
            if proven:
                complete_login(user)
                kind = SecurityEventKind.SECOND_FACTOR_SUCCEEDED
                if sent == "recovery":
                    kind = SecurityEventKind.RECOVERY_CODE_USED
                log_event(kind, user)
            else:
                log_event(SecurityEventKind.SECOND_FACTOR_FAILED, user)
        if proven:
            factors.attempt_was_right(user)
            if sent == "recovery":
                _say_codes_left(user)
            return redirect(next_target())
        _explain_failure(sent, forms[sent])
    return _page(user, forms, refused=False)


def _refused(user: User, forms: dict):
    if throttle.refusal_worth_logging("second-factor"):
        with transaction():
            log_event(SecurityEventKind.SECOND_FACTOR_REFUSED, user)
    return make_response(_page(user, forms, refused=True), 429)


def _sent_form(forms: dict) -> str | None:
    if request.method != "POST":
        return None
    if "recovery_code" in request.form:
        return "recovery"
    if "credential" in request.form:
        return "passkey"
    return "code"


def _check(user: User, sent: str, form) -> bool:
    if sent == "code":
        return len(form.code.data) <= CODE_LIMIT and factors.check_totp(user, form.code.data)
    if sent == "recovery":
        typed = form.recovery_code.data
        return len(typed) <= CODE_LIMIT and recovery.use(user, typed)
    try:
        passkeys.authenticate(user, g.user_session, form.credential.data or "")
    except passkeys.PasskeyRefused:
        g.user_session.challenge = None  # a response is checked once, right or wrong
        return False
    return True


def _explain_failure(sent: str, form) -> None:
    if sent == "code":
        form.code.errors.append(
            totp.refusal(
                form.code.data,
                _(
                    "Der Code ist nicht richtig, abgelaufen oder wurde schon verwendet. Bitte "
                    "geben Sie den Code ein, den Ihre App jetzt zeigt."
                ),
            ),
        )
    elif sent == "recovery":
        form.recovery_code.errors.append(
            _("Dieser Wiederherstellungscode ist nicht richtig oder wurde schon verwendet.")
        )
    else:
        flash(
            _(
                "Der Passkey konnte nicht bestätigt werden. Bitte versuchen Sie es noch "
                "einmal oder verwenden Sie einen Code."
            ),
            "danger",
        )


def _say_codes_left(user: User) -> None:
    left = len(recovery.unused(user))
    flash(
        ngettext(
            "Sie haben einen Wiederherstellungscode verwendet; %(num)d ist noch übrig. Erzeugen "
            "Sie unter „Anmeldung und Sicherheit“ neue Codes.",
            "Sie haben einen Wiederherstellungscode verwendet; %(num)d sind noch übrig. "
            "Erzeugen Sie unter „Anmeldung und Sicherheit“ neue Codes, wenn es wenige werden.",
            left,
        ),
        "warning",
    )


def _page(user: User, forms: dict, refused: bool) -> str:
    with transaction():  # the passkey ceremony's challenge is kept with the session
        options = passkeys.authentication_options(user, g.user_session)
    return render_template(
        "twofactor/verify.html",
        forms=forms,
        has_totp=factors.totp_of(user) is not None,
        passkey_options=options,
        refused=refused,
        next=next_target(),
    )
