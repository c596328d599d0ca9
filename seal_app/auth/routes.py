"""Login, logout, changing one's password and using a one-time link."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from seal_app.auth import link_in_session, passwords, security_log, services, throttle
from seal_app.auth.decorators import login_required, roles_required
from seal_app.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    SetPasswordForm,
)
from seal_app.auth.login import end_current_session, log_in
from seal_app.auth.models import Role, SecurityEventKind, User
from seal_app.database import transaction
from seal_app.drafts.guard import CLEAR_ALL_IN_COOKIE
from seal_app.extensions import limiter
from seal_app.notifications.outbox import mail_enabled
from seal_app.security import is_safe_redirect
from seal_app.twofactor import services as factors

bp = Blueprint("auth", __name__)
MAX_PAGE = 100_000


def _record(kind: SecurityEventKind, email: str | None, user: User | None) -> None:
    """Add a security log entry about this request (in the caller's transaction)."""
    security_log.record(kind, email, user, get_remote_address(), request.user_agent.string)


def _login_refused() -> Response:
    """Too many attempts: say so in German, keep the e-mail typed, and log the refusal."""
    if throttle.refusal_worth_logging("login"):
        with transaction():
            email = request.form.get("email", "")
            _record(SecurityEventKind.LOGIN_REFUSED, email, services.find_user_by_email(email))
    page = render_template("auth/login.html", form=LoginForm(), failed=False, refused=True)
    return make_response(page, 429)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    # taken before the password is checked, given back when it was right (auth/throttle.py)
    account = services.normalise_email(request.form.get("email", ""))
    if request.method == "POST" and not throttle.take_login_attempt(account):
        return _login_refused()
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]
    failed = False
    if form.validate_on_submit():
        with transaction():
            user = services.authenticate(form.email.data, form.password.data)
            kind = (
                SecurityEventKind.LOGIN_FAILED
                if user is None
                else SecurityEventKind.LOGIN_SUCCEEDED
            )
            # after the password check, whose time does not depend on the account: a failure
            # names the account that was tried, so the office sees which one is attacked
            _record(kind, form.email.data, user or services.find_user_by_email(form.email.data))
            if user is not None:
                log_in(user)  # a fresh session, on the server too
        if user is not None:
            throttle.give_back_login_attempt(account)
            target = request.args.get("next")
            target = target if is_safe_redirect(target) else url_for("main.home")
            if user.second_factor_pending:  # the password alone is not yet a login
                return redirect(factors.second_step(user, target))
            return redirect(target)
        failed = True
    return render_template("auth/login.html", form=form, failed=failed)


@bp.post("/logout")
def logout():
    with transaction():
        if not current_user.is_anonymous:  # a login still waiting for its factor too
            user = current_user._get_current_object()
            _record(SecurityEventKind.LOGOUT, user.email, user)
        end_current_session()
    session[CLEAR_ALL_IN_COOKIE] = True  # the logged-out page clears drafts in the browser
    flash(_("Sie haben sich abgemeldet."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.personal_words = [user.email, user.name]
    account = str(user.id)
    if form.is_submitted() and throttle.exhausted("change-password", account):
        return _password_check_refused(user, form)
    if form.validate_on_submit():
        if not throttle.take_password_attempt("change-password", account):
            return _password_check_refused(user, form)
        if not passwords.verify_password(user.password_hash, form.current_password.data):
            with transaction():
                _record(SecurityEventKind.PASSWORD_CHECK_FAILED, user.email, user)
            form.current_password.errors.append(_("Das bisherige Passwort ist nicht richtig."))
        else:
            throttle.give_back_password_attempt("change-password", account)
            with transaction():
                services.set_password(user, form.new_password.data, actor=user)
                _record(SecurityEventKind.PASSWORD_CHANGED, user.email, user)
                log_in(user, second_factor_given=True)  # every session ended: a fresh one
            flash(_("Ihr Passwort wurde geändert."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form, refused=False)


def _password_check_refused(user: User, form: ChangePasswordForm) -> Response:
    if throttle.refusal_worth_logging("change-password"):
        with transaction():
            _record(SecurityEventKind.PASSWORD_CHECK_REFUSED, user.email, user)
    page = render_template("auth/change_password.html", form=form, refused=True)
    return make_response(page, 429)


def _reset_refused(_limit: RequestLimit) -> Response:
    page = render_template("auth/forgot_password.html", form=ForgotPasswordForm(), refused=True)
    return make_response(page, 429)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    on_breach=_reset_refused,
)
def forgot_password():
    """„Passwort vergessen?“: the same answer whether or not the address has an account."""
    form = ForgotPasswordForm()
    if not mail_enabled():  # nothing could be sent: the office hands links over
        return render_template("auth/forgot_password.html", form=None, refused=False)
    if form.validate_on_submit():
        email = form.email.data
        try:
            with transaction():
                user = services.request_password_reset(email)
                if user is not None:
                    _record(SecurityEventKind.PASSWORD_RESET_REQUESTED, email, user)
        except services.ResetLimitReached as limited:
            with transaction():
                _record(SecurityEventKind.PASSWORD_RESET_REFUSED, email, limited.user)
        return render_template(
            "auth/reset_requested.html", hours=current_app.config["PASSWORD_RESET_HOURS"]
        )
    return render_template("auth/forgot_password.html", form=form, refused=False)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The one-time link: the session notes which link it is (not its token) and the browser
    goes on to an address without it, so that neither the history nor any later request's log
    line holds the token."""
    link = services.find_valid_link(token)
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    if request.method == "GET":
        link_in_session.remember(link)  # the link's id, never its token
        return redirect(url_for(".set_password_form"), 303)
    return _set_password(link)  # a form opened at the link's own address


@bp.route("/password/set", methods=["GET", "POST"])
def set_password_form():
    link = link_in_session.recall()
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    return _set_password(link)


def _set_password(link) -> Response | str:
    form = SetPasswordForm()
    form.personal_words = [link.user.email, link.user.name]
    if form.validate_on_submit():
        with transaction():
            user = services.use_password_link(link, form.new_password.data)
            _record(SecurityEventKind.PASSWORD_SET_BY_LINK, user.email, user)
            end_current_session()  # clears the session, the token with it
        flash(_("Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden."), "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/set_password.html", form=form, user=link.user)


@bp.get("/office/security-log")
@roles_required(Role.OFFICE)
def security_log_index():
    email = request.args.get("email", "")[:254]
    kind = request.args.get("event", "")
    chosen = SecurityEventKind(kind) if kind in set(SecurityEventKind) else None
    pagination = security_log.events_page(
        email, chosen, _page_number(), current_app.config["SECURITY_LOG_PER_PAGE"]
    )
    return render_template(
        "auth/security_log.html",
        pagination=pagination,
        email=email,
        chosen=chosen,
        labels=security_log.EVENT_LABELS,
    )


def _page_number() -> int:
    """The requested page, within bounds any database can count to."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
