"""The school's application pages: starting an application and its overview.

The other pages add their routes to the same blueprint from modules of their own, one per
task: criteria, requests for more, votes, files, submission."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications import access, services
from seal_app.applications.blueprint import bp, school_only
from seal_app.applications.models import Application
from seal_app.applications.progress import (
    progress,
    submission_blockers,
)
from seal_app.auth.decorators import login_required
from seal_app.auth.models import Role
from seal_app.database import ConflictError, transaction
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.rounds.services import open_round
from seal_app.schools.models import School
from seal_app.uploads.store import UploadBatch
from seal_app.views import database_id


@bp.get("/start")
@login_required
def start_page():
    """The address of the start button, opened again: the start page has the button."""
    return redirect(url_for("main.home"))


@bp.post("/start")
@school_only
def start():
    school = db.session.get(School, request.form.get("school_id", 0, type=database_id))
    round_ = open_round()
    if school is None or not access.is_member(current_user, school.id):
        abort(404)
    if round_ is None:
        flash(_("Zurzeit ist keine Vergaberunde offen."), "warning")
        return redirect(url_for("main.home"))
    try:
        application = _start_or_open(school, round_)
    except services.ApplicationError as error:
        flash(str(error), "danger")
        return redirect(url_for("main.home"))
    return redirect(url_for("applications.overview", application_id=application.id))


def _start_or_open(school: School, round_) -> Application:
    """If a colleague started the application at the same moment, the second try opens theirs."""
    try:
        return _start(school, round_)
    except ConflictError:
        return _start(school, round_)


def _start(school: School, round_) -> Application:
    with UploadBatch() as batch, transaction():
        return services.start_application(school, round_, current_user, batch, local_today())


@bp.get("/<int:application_id>")
@login_required
def overview(application_id: int):
    application = access.viewable_application(application_id)
    catalogue = services.catalogue_of(application)
    state = progress(application, catalogue)
    return render_template(
        "applications/overview.html",
        application=application,
        catalogue=catalogue,
        state=state,
        blockers=submission_blockers(application, state, local_today()),
        review_assignment=(
            access.cleared_assignment(current_user, application.id)
            if current_user.role is Role.ASSESSOR
            else None
        ),
    )


# Each module adds its routes to ``bp`` when imported.
from seal_app.applications import (  # noqa: E402, F401
    archive_routes,
    criterion_routes,
    file_routes,
    request_routes,
    submission_routes,
    vote_routes,
)
