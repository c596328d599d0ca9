"""Login, logout, changing one's password and using a one-time link."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from seal_app.auth import passwords, services
from seal_app.auth.decorators import login_required
from seal_app.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from seal_app.database import transaction
from seal_app.extensions import limiter
from seal_app.security import is_safe_redirect

bp = Blueprint("auth", __name__)


def _login_account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


def _failed_login(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_login_account_key,
    deduct_when=_failed_login,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]
    failed = False
    if form.validate_on_submit():
        with transaction():
            user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            target = request.args.get("next")
            language = session.get("language")
            session.clear()  # a fresh session at login, keeping only the chosen language
            if language:
                session["language"] = language
            login_user(user)
            return redirect(target if is_safe_redirect(target) else url_for("main.home"))
        failed = True
    return render_template("auth/login.html", form=form, failed=failed)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("Sie haben sich abgemeldet."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.personal_words = [current_user.email, current_user.name]
    if form.validate_on_submit():
        if not passwords.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Das bisherige Passwort ist nicht richtig."))
        else:
            user = current_user._get_current_object()
            with transaction():
                services.set_password(user, form.new_password.data, actor=user)
            login_user(user)  # keep this session, now under the new version
            flash(_("Ihr Passwort wurde geändert."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
def set_password(token: str):
    link = services.find_valid_link(token)
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    form.personal_words = [link.user.email, link.user.name]
    if form.validate_on_submit():
        with transaction():
            user = services.use_password_link(link, form.new_password.data)
        logout_user()
        session.clear()
        flash(_("Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden."), "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/set_password.html", form=form, user=link.user)
