"""The public access request, and the office's pages for users and requests."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from seal_app.accounts import services
from seal_app.accounts.forms import (
    ROLE_LABELS,
    AccessRequestForm,
    DeclineForm,
    UserEditForm,
    UserForm,
)
from seal_app.accounts.models import AccessRequest
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import PasswordLinkPurpose, Role, User
from seal_app.auth.services import issue_password_link
from seal_app.database import transaction
from seal_app.extensions import db, limiter
from seal_app.schools.models import Position, School
from seal_app.twofactor.reauth import recent_authentication_required
from seal_app.views import get_or_404

bp = Blueprint("accounts", __name__)
office_only = roles_required(Role.OFFICE)


def _register_accepted(_response) -> bool:
    return g.get("access_request_accepted", False)


def _register_refused(_limit: RequestLimit) -> Response:
    """Too many requests from this address: the form again, with what was typed, and why."""
    page = render_template("accounts/register.html", form=AccessRequestForm(), refused=True)
    return make_response(page, 429)


# Only accepted requests count against the address (staff of one school share one address and
# may mistype); every attempt counts against a generous cap that stops floods.
@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["REGISTER_FLOOD_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    key_func=lambda: "register-all:" + get_remote_address(),
    on_breach=_register_refused,
)
@limiter.limit(
    lambda: current_app.config["REGISTER_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    key_func=lambda: "register-accepted:" + get_remote_address(),
    deduct_when=_register_accepted,
    on_breach=_register_refused,
)
def register():
    form = AccessRequestForm()
    if form.validate_on_submit():
        school = services.find_school_by_number(form.school_number.data)
        if school is None:
            form.school_number.errors.append(
                _(
                    "Diese Schulnummer kennen wir nicht. Bitte wenden Sie sich an die "
                    "Geschäftsstelle: Telefon %(phone)s, E-Mail %(email)s.",
                    phone=current_app.config["OFFICE_PHONE"],
                    email=current_app.config["OFFICE_EMAIL"],
                )
            )
        else:
            with transaction():
                services.submit_access_request(
                    school, form.name.data, Position(form.position.data), form.email.data
                )
            g.access_request_accepted = True
            return render_template("accounts/register_sent.html")
    return render_template("accounts/register.html", form=form)


@bp.get("/office/users")
@office_only
def users():
    return render_template(
        "accounts/users.html", users=services.list_users(), role_labels=ROLE_LABELS
    )


@bp.route("/office/users/new", methods=["GET", "POST"])
@office_only
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        memberships = _memberships_from(form)
        if memberships is not None:
            try:
                with transaction():
                    user, token = services.create_user(
                        form.email.data,
                        form.name.data,
                        Role(form.role.data),
                        current_user,
                        memberships,
                    )
            except services.AccountError as error:
                form.email.errors.append(str(error))
            else:
                return _show_link(user, token, created=True)
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/office/users/<int:user_id>/edit", methods=["GET", "POST"])
@office_only
@recent_authentication_required
def edit_user(user_id: int):
    user = get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.enabled.data = user.is_enabled
        form.school_numbers.data = ", ".join(school.school_number for school in user.schools)
        if user.memberships:
            form.position.data = user.memberships[0].position.value
    if form.validate_on_submit():
        memberships = _memberships_from(form)
        if memberships is not None:
            try:
                with transaction():
                    services.update_user(
                        user,
                        form.name.data,
                        Role(form.role.data),
                        form.enabled.data,
                        current_user,
                        memberships,
                    )
            except services.AccountError as error:
                form.role.errors.append(str(error))
            else:
                flash(_("Die Änderungen an %(name)s sind gespeichert.", name=user.name), "success")
                return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=user)


@bp.get("/office/users/<int:user_id>/password-link")
@office_only
def password_link_page(user_id: int):
    """The address of a shown link, opened again: the link is shown once; back to the account."""
    get_or_404(User, user_id)
    return redirect(url_for("accounts.edit_user", user_id=user_id))


@bp.post("/office/users/<int:user_id>/password-link")
@office_only
def password_link(user_id: int):
    user = get_or_404(User, user_id)
    with transaction():
        token = issue_password_link(user, PasswordLinkPurpose.RESET, current_user)
    return _show_link(user, token, created=False)


@bp.get("/office/access-requests")
@office_only
def access_requests():
    pending = services.pending_requests()
    has_account = {request.id: services.email_has_account(request.email) for request in pending}
    return render_template(
        "accounts/access_requests.html",
        pending=pending,
        decided=services.decided_requests(),
        has_account=has_account,
    )


@bp.get("/office/access-requests/<int:request_id>/approve")
@office_only
def approve_request_page(request_id: int):
    """The address of an approval, opened again: back to the requests."""
    get_or_404(AccessRequest, request_id)
    return redirect(url_for("accounts.access_requests"))


@bp.post("/office/access-requests/<int:request_id>/approve")
@office_only
def approve_request(request_id: int):
    access_request = get_or_404(AccessRequest, request_id)
    try:
        with transaction():
            approval = services.approve_request(access_request, current_user)
    except services.AccountError as error:
        flash(str(error), "danger")
        return redirect(url_for("accounts.access_requests"))
    if approval.token is None:
        flash(
            _(
                "%(name)s hatte schon ein Konto; die Schule wurde hinzugefügt.",
                name=approval.user.name,
            ),
            "success",
        )
        return redirect(url_for("accounts.access_requests"))
    return _show_link(approval.user, approval.token, created=True, mailed=approval.mailed)


@bp.route("/office/access-requests/<int:request_id>/decline", methods=["GET", "POST"])
@office_only
def decline_request(request_id: int):
    access_request = get_or_404(AccessRequest, request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            with transaction():
                services.decline_request(access_request, form.reason.data, current_user)
        except services.AccountError as error:
            flash(str(error), "danger")
        else:
            flash(_("Die Anfrage wurde abgelehnt."), "success")
        return redirect(url_for("accounts.access_requests"))
    return render_template("accounts/decline.html", form=form, access_request=access_request)


def _memberships_from(form: UserForm) -> dict[School, Position] | None:
    """Schools named by number in the form; None (with a field error) if one is unknown."""
    if form.role.data != Role.SCHOOL.value:
        return {}
    numbers = [part.strip() for part in (form.school_numbers.data or "").split(",") if part.strip()]
    if not numbers:
        form.school_numbers.errors.append(_("Bitte geben Sie mindestens eine Schulnummer an."))
        return None
    schools = db.session.scalars(db.select(School).where(School.school_number.in_(numbers))).all()
    unknown = sorted(set(numbers) - {school.school_number for school in schools})
    if unknown:
        form.school_numbers.errors.append(
            _("Unbekannte Schulnummer: %(numbers)s", numbers=", ".join(unknown))
        )
        return None
    position = Position(form.position.data)
    return {school: position for school in schools}


def _show_link(user: User, token: str, created: bool, mailed: bool = False):
    path = url_for("auth.set_password", token=token)
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    return render_template(
        "accounts/link_issued.html",
        user=user,
        link=link,
        created=created,
        hours=hours,
        mailed=mailed,
    )
