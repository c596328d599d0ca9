"""Requests for more from the jury's side, submitting a review, and reopening one."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications import access
from seal_app.applications import services as application_services
from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.database import ConflictError, transaction
from seal_app.extensions import db
from seal_app.formatting import codes as codes_text
from seal_app.local_time import local_today
from seal_app.reviews import requests, submission
from seal_app.reviews.models import Assignment
from seal_app.reviews.submission_forms import ReopenForm, RequestMoreForm, ReviewForm
from seal_app.views import save_versioned

bp = Blueprint("review_submission", __name__)

DEFAULT_DUE_DAYS = 14


@bp.app_template_global()
def changes_since_request(application: Application, code: str):
    """For ``reviews/_changes_since_request.html``, wherever it is included."""
    return requests.changes_since_request(application, code)


# Requests for more ---------------------------------------------------------------------------


@bp.route("/applications/<int:application_id>/request-more", methods=["GET", "POST"])
@roles_required(Role.OFFICE, Role.ASSESSOR)
def request_more(application_id: int):
    application, assignment = _requesting(application_id)
    catalogue = application_services.catalogue_of(application)
    today = local_today()
    form = RequestMoreForm(data={"due_date": today + timedelta(days=DEFAULT_DUE_DAYS)})
    origin = _origin(catalogue, assignment)
    if request.method == "GET" and origin:
        form.criteria.data = [origin]
    may_request = requests.may_request(application) and not (
        assignment is not None and submission.is_submitted(assignment)
    )
    if request.method == "POST" and may_request:
        known = [criterion.code for criterion in catalogue.criteria]
        valid = form.validate_on_submit()
        if form.check(known, today) and valid:
            try:
                with transaction():
                    evidence_request = requests.request_more(
                        application,
                        form.message.data or "",
                        form.criteria.data,
                        form.due_date.data,
                        current_user,
                        today,
                        assignment,
                    )
            except application_services.ApplicationError as error:
                flash(str(error), "danger")
            except ConflictError:
                flash(_("Inzwischen hat jemand anderes etwas nachgefordert."), "warning")
            else:
                flash(_sent_message(evidence_request), "success")
                return redirect(_after_request(application, assignment, origin))
    return render_template(
        "reviews/request_more.html",
        application=application,
        assignment=assignment,
        catalogue=catalogue,
        areas=requests.criteria_by_area(catalogue),
        form=form,
        may_request=may_request,
        chosen=set(form.criteria.data or []),
        origin=origin,
    )


def _requesting(application_id: int) -> tuple[Application, Assignment | None]:
    """The application, and for an assessor their cleared assignment; 404 otherwise."""
    application = db.session.get(Application, application_id) or abort(404)
    if current_user.role is Role.OFFICE:
        return application, None
    assignment = access.cleared_assignment(current_user, application.id)
    if assignment is None:
        abort(404)
    return application, assignment


def _origin(catalogue, assignment: Assignment | None) -> str | None:
    """The criterion whose scoring page the assessor came from (``from``), to preselect it and
    to lead back to it; None for anything else."""
    code = request.values.get("from")
    known = {criterion.code for criterion in catalogue.criteria}
    return code if assignment is not None and code in known else None


def _after_request(
    application: Application, assignment: Assignment | None, origin: str | None = None
) -> str:
    """Back to where the requester works on the application: the scoring page they came from,
    the assessor's review, the office's page of the application."""
    if assignment is not None and origin:
        return url_for("reviews.criterion", assignment_id=assignment.id, code=origin)
    if assignment is not None:
        return url_for("reviews.overview", assignment_id=assignment.id)
    return url_for("review_office.application", application_id=application.id)


def _sent_message(evidence_request) -> str:
    return _(
        "Die Nachforderung zu %(codes)s ist an die Schule gesendet (Frist: %(due)s).",
        codes=codes_text(evidence_request.criteria_codes),
        due=format_date(evidence_request.due_date, "long"),
    )


# Submitting a review -------------------------------------------------------------------------


@bp.route("/review/<int:assignment_id>/submit", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR)
def submit(assignment_id: int):
    assignment = _own_assignment(assignment_id)
    application = assignment.application
    catalogue = application_services.catalogue_of(application)
    review = assignment.review
    form = ReviewForm.for_catalogue(catalogue, obj=review)
    if request.method == "GET" and review is not None:
        form.fill_advice(review.advice or {})
    stale = refused = None
    if request.method == "POST":
        result = _save_review(assignment, catalogue, form)
        if result is True:
            return redirect(url_for("review_submission.submit", assignment_id=assignment.id))
        stale, refused = result
    return render_template(
        "reviews/submit_review.html",
        application=application,
        assignment=assignment,
        catalogue=catalogue,
        review=assignment.review,
        form=form,
        stale=stale,
        refused=refused,
        unscored=submission.unscored(assignment, catalogue),
        score_endpoint=_score_endpoint(),
        own_request=submission.own_open_request(assignment),
    )


def _own_assignment(assignment_id: int) -> Assignment:
    """The current assessor's own assignment, cleared of conflicts; 404 for anything else."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.assessor_id != current_user.id or not assignment.has_access:
        abort(404)
    return assignment


def _save_review(assignment: Assignment, catalogue, form: ReviewForm):
    """True when saved; otherwise (what is stored now if someone changed it, the values this
    form tried to store if the review is already submitted).

    A submission that is not ready yet keeps what was typed as a draft and names everything
    still missing at once."""
    submitting = request.form.get("action") == "submit"
    valid = form.validate_on_submit()
    ready = submitting and _ready_to_submit(assignment, catalogue, form)
    if not valid:
        return None, None
    if submitting and not ready:
        return _keep_as_draft(assignment, catalogue, form)
    service = submission.submit_review if submitting else submission.save_review
    result = _store(assignment, catalogue, form, service)
    if result is True:
        flash(
            _("Ihr Gutachten ist abgegeben. Vielen Dank!")
            if submitting
            else _("Ihr Entwurf ist gespeichert. Abgegeben ist das Gutachten noch nicht."),
            "success",
        )
    return result


def _ready_to_submit(assignment: Assignment, catalogue, form: ReviewForm) -> bool:
    """Check everything submitting needs; each problem becomes an error of the form."""
    ready = form.check_for_submission()
    for problem in submission.blockers(assignment, catalogue):
        form.form_errors.append(problem)
        ready = False
    return ready


def _keep_as_draft(assignment: Assignment, catalogue, form: ReviewForm):
    result = _store(assignment, catalogue, form, submission.save_review)
    if result is True:
        form.version.data = assignment.review.version
        flash(
            _(
                "Ihre Eingaben sind als Entwurf gespeichert. Abgegeben ist das Gutachten noch "
                "nicht: Es fehlt noch, was oben steht."
            ),
            "info",
        )
        return None, None
    return result


def _store(assignment: Assignment, catalogue, form: ReviewForm, service):
    """Run the service in one transaction; True, or (stale, refused) as ``_save_review``."""
    values = form.values()

    def save() -> None:
        service(assignment, values, form.version.data, current_user, catalogue)

    try:
        saved, stale = save_versioned(form, save, lambda: _fresh_review(assignment))
    except submission.ReviewSubmittedError as error:
        flash(str(error), "danger")
        return None, values
    except submission.ReviewError as error:
        flash(str(error), "danger")
        return None, None
    if saved:
        return True
    if stale is not None and stale.is_submitted:
        flash(submission.ReviewSubmittedError().args[0], "danger")
        return None, values
    return stale, None


def _fresh_review(assignment: Assignment):
    db.session.expire(assignment)
    return assignment.review


def _score_endpoint() -> str | None:
    """The scoring page's endpoint (``assignment_id``, ``code``), if the app has one."""
    candidates = ("reviews.score", "reviews.criterion")
    return next((name for name in candidates if name in current_app.view_functions), None)


# Reopening by the office ---------------------------------------------------------------------


@bp.route("/office/reviews/<int:assignment_id>/reopen", methods=["GET", "POST"])
@roles_required(Role.OFFICE)
def reopen(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    review = assignment.review
    form = ReopenForm(obj=review)
    if request.method == "POST" and form.validate_on_submit():

        def save() -> None:
            submission.reopen_review(
                assignment, form.reason.data or "", form.version.data, current_user
            )

        try:
            saved, _stale = save_versioned(form, save, lambda: _fresh_review(assignment))
        except submission.ReviewError as error:
            flash(str(error), "danger")
        else:
            if saved:
                flash(
                    _(
                        "Das Gutachten von %(name)s ist wieder geöffnet.",
                        name=assignment.assessor.name,
                    ),
                    "success",
                )
                return redirect(
                    url_for("review_office.application", application_id=assignment.application_id)
                )
            flash(
                _("Das Gutachten wurde inzwischen geändert. Bitte prüfen Sie es noch einmal."),
                "warning",
            )
    return render_template(
        "reviews/submit_reopen.html",
        assignment=assignment,
        application=assignment.application,
        catalogue=application_services.catalogue_of(assignment.application),
        review=assignment.review,
        form=form,
    )
