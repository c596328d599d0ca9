"""The start page for each role, the health check and the language switch."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
)
from flask_login import current_user

from seal_app.applications.services import applications_of_school
from seal_app.auth.models import Role
from seal_app.database import database_state
from seal_app.extensions import limiter
from seal_app.local_time import local_today
from seal_app.main import services
from seal_app.reviews.assessor_home import home_items
from seal_app.rounds.services import open_round
from seal_app.security import is_safe_redirect

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html", round=open_round())
    today = local_today()
    if current_user.role is Role.OFFICE:
        return render_template(
            "main/home_office.html", figures=services.office_figures(), round=open_round()
        )
    if current_user.role is Role.ASSESSOR:
        return render_template(
            "main/home_assessor.html",
            round=open_round(),
            items=home_items(current_user),
        )
    schools = current_user.schools
    applications_by_school = {school.id: applications_of_school(school.id) for school in schools}
    return render_template(
        "main/home_school.html",
        schools=schools,
        round=open_round(),
        today=today,
        applications_by_school=applications_by_school,
    )


@bp.get("/healthz")
@limiter.exempt
def healthz():
    state = database_state()
    status = 200 if state == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=state), status


@bp.get("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers ask for this address on every page, whatever the page links."""
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )


@bp.post("/language")
def language():
    chosen = request.form.get("language", "")
    if chosen in current_app.config["LANGUAGES"]:
        session["language"] = chosen
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else "/")


@bp.get("/accessibility")
def accessibility():
    made_on = date.fromisoformat(str(current_app.config["ACCESSIBILITY_STATEMENT_DATE"]))
    return render_template("main/accessibility.html", made_on=made_on)


@bp.get("/impressum")
def imprint():
    return render_template("main/imprint.html", own_text=services.legal_text("impressum"))


@bp.get("/datenschutz")
def privacy():
    return render_template("main/privacy.html", own_text=services.legal_text("datenschutz"))
