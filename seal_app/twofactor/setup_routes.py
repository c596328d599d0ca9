"""Setting a factor up: an authenticator app (TOTP), passkeys, and the recovery codes.

Open to a logged-in user (after confirming who they are, see ``reauth``), and to a login with
the password alone of an account that has no factor yet: that is where office and assessor
accounts land until they have one. A login waiting for the factor of an account that has one
never gets here: the password alone must not add a factor.
"""

from __future__ import annotations

import base64

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth.login import complete_login
from seal_app.auth.models import SecurityEventKind, User
from seal_app.database import transaction
from seal_app.twofactor import passkeys, recovery, totp
from seal_app.twofactor import services as factors
from seal_app.twofactor.blueprint import bp, log_event, next_target
from seal_app.twofactor.forms import CODE_LIMIT, PasskeyRegisterForm, TotpSetupForm
from seal_app.twofactor.reauth import recent_authentication_required


def _setup_user() -> User | None:
    """Who may set a factor up in this request (see the module's docstring)."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    waiting = factors.pending_user()
    if waiting is not None and not factors.has_factor(waiting):
        return waiting
    return None


def _elsewhere():
    """The answer for everyone else: the code page, or the login."""
    waiting = factors.pending_user()
    if waiting is not None:
        return redirect(url_for(".verify", next=next_target()))
    return redirect(url_for("auth.login", next=request.path))


@bp.get("/account/second-factor/setup")
@recent_authentication_required
def setup():
    user = _setup_user()
    if user is None:
        return _elsewhere()
    secret = totp.new_secret()
    totp_form = TotpSetupForm(formdata=None)
    totp_form.secret_token.data = totp.seal_secret(secret, user.id)
    return _page(user, secret, totp_form, PasskeyRegisterForm(formdata=None))


@bp.post("/account/second-factor/totp")
@recent_authentication_required
def confirm_totp():
    user = _setup_user()
    if user is None:
        return _elsewhere()
    form = TotpSetupForm()
    secret = totp.open_secret(form.secret_token.data or "", user.id)
    if secret is None:  # a page from before a restart with another key, or tampered with
        flash(
            _("Die Einrichtung hat zu lange gedauert. Bitte scannen Sie den neuen Code."), "warning"
        )
        return redirect(url_for(".setup", next=next_target()))
    if form.validate():
        step = None
        if len(form.code.data) <= CODE_LIMIT:
            step = totp.matching_step(secret, form.code.data, after_step=-1)
        if step is not None:
            with transaction():
                factors.enrol_totp(user, secret, step, actor=user)
                log_event(SecurityEventKind.SECOND_FACTOR_ADDED, user)
                return _factor_added(user, _("Ihre Authenticator-App ist eingerichtet."))
        form.code.errors.append(
            totp.refusal(
                form.code.data,
                _(
                    "Der Code passt nicht. Bitte prüfen Sie, ob die Uhr Ihres Geräts stimmt, und "
                    "geben Sie den Code ein, den die App jetzt zeigt."
                ),
            ),
        )
    return _page(user, secret, form, PasskeyRegisterForm(formdata=None))


@bp.post("/account/passkeys")
@recent_authentication_required
def register_passkey():
    user = _setup_user()
    if user is None:
        return _elsewhere()
    form = PasskeyRegisterForm()
    if form.validate():
        with transaction():
            try:
                passkey = passkeys.register(
                    user, g.user_session, form.name.data, form.credential.data or ""
                )
            except passkeys.PasskeyRefused:
                g.user_session.challenge = None  # a response is checked once
                passkey = None
            else:
                log_event(SecurityEventKind.SECOND_FACTOR_ADDED, user)
                factors_note = _("Der Passkey „%(name)s“ ist eingerichtet.", name=passkey.name)
                return _factor_added(user, factors_note)
        form.name.errors.append(
            _(
                "Der Passkey wurde nicht eingerichtet: Ihr Browser hat die Einrichtung "
                "abgebrochen oder nicht bestätigt. Bitte versuchen Sie es noch einmal."
            )
        )
    secret = totp.new_secret()
    totp_form = TotpSetupForm(formdata=None)
    totp_form.secret_token.data = totp.seal_secret(secret, user.id)
    return _page(user, secret, totp_form, form)


def _factor_added(user: User, message: str):
    """In the caller's transaction: the login is complete; the first factor brings the ten
    recovery codes, shown once."""
    complete_login(user)
    if factors.has_recovery_codes(user):
        flash(message, "success")
        return redirect(next_target("twofactor.account"))
    codes = recovery.new_set(user)
    log_event(SecurityEventKind.RECOVERY_CODES_RENEWED, user)
    return _codes_page(user, codes, message)


@bp.post("/account/recovery-codes")
@recent_authentication_required
def new_recovery_codes():
    if not current_user.is_authenticated:
        return _elsewhere()
    user = current_user._get_current_object()
    if not factors.has_factor(user):
        return redirect(url_for(".account"))
    with transaction():
        codes = recovery.new_set(user)
        log_event(SecurityEventKind.RECOVERY_CODES_RENEWED, user)
    return _codes_page(
        user, codes, _("Neue Wiederherstellungscodes sind erzeugt; die alten gelten nicht mehr.")
    )


def _codes_page(user: User, codes: list[str], message: str) -> str:
    text = recovery.as_text(codes, user.email)
    download = "data:text/plain;charset=utf-8;base64," + base64.b64encode(text.encode()).decode()
    return render_template(
        "twofactor/recovery_codes.html",
        codes=codes,
        message=message,
        download=download,
        next=next_target("twofactor.account"),
    )


def _page(
    user: User, secret: str, totp_form: TotpSetupForm, passkey_form: PasskeyRegisterForm
) -> str:
    with transaction():  # the passkey ceremony's challenge is kept with the session
        options = passkeys.registration_options(user, g.user_session)
    uri = totp.provisioning_uri(secret, user.email)
    return render_template(
        "twofactor/setup.html",
        forced=not current_user.is_authenticated,
        qr_svg=totp.qr_svg(uri),
        otpauth_uri=uri,  # for setting the app up on the phone that shows the page
        secret=totp.grouped(secret),
        totp_form=totp_form,
        passkey_form=passkey_form,
        passkey_options=options,
        replaces_totp=factors.totp_of(user) is not None,
        next=next_target("twofactor.account"),
    )
