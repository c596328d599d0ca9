"""The check before submitting, the submission, the confirmation and the receipts."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from seal_app.applications import access, check, services, submission
from seal_app.applications.blueprint import bp
from seal_app.applications.models import Application, Receipt
from seal_app.applications.progress import (
    progress,
    self_assessment,
    submission_blockers,
)
from seal_app.auth.decorators import login_required
from seal_app.auth.models import Role
from seal_app.database import transaction
from seal_app.local_time import local_today
from seal_app.uploads import store
from seal_app.uploads.store import UploadBatch


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
@login_required
def submit(application_id: int):
    application = access.viewable_application(application_id)
    if current_user.role is not Role.SCHOOL and request.method == "GET":
        return _to_overview(application)
    if request.method == "POST":
        access.editable_application(application_id)
        try:
            with UploadBatch() as batch, transaction():
                submission.submit(application, current_user, local_today(), batch)
        except services.ApplicationError as error:
            flash(str(error), "danger")
        else:
            return redirect(url_for("applications.submitted", application_id=application.id))
    catalogue = services.catalogue_of(application)
    state = progress(application, catalogue)
    blockers = (
        submission_blockers(application, state, local_today()) if application.is_editable else []
    )
    incomplete = check.incomplete_groups(state) if application.is_editable else []
    return render_template(
        "applications/submit.html",
        application=application,
        catalogue=catalogue,
        state=state,
        blockers=blockers,
        missing_groups=check.missing_groups(state, blockers),
        incomplete_groups=incomplete,
        incomplete_count=check.entry_count(incomplete),
        check_note=check.criterion_note,
        assessment=self_assessment(state, catalogue),
    )


@bp.get("/<int:application_id>/submitted")
@login_required
def submitted(application_id: int):
    """The confirmation after submitting: what happens next, and whom to ask."""
    application = access.viewable_application(application_id)
    if application.submitted_at is None:
        abort(404)
    if current_user.role is not Role.SCHOOL:
        return _to_overview(application)
    return render_template("applications/submitted.html", application=application)


def _to_overview(application: Application) -> Response:
    """The check before submitting and the thanks after it speak to the school; the office and
    assessors read the application's overview instead."""
    return redirect(url_for("applications.overview", application_id=application.id))


@bp.get("/<int:application_id>/receipt.pdf")
@login_required
def receipt(application_id: int):
    """The latest receipt, as stored when it was issued."""
    application = access.viewable_application(application_id)
    if application.submitted_at is None:
        abort(404)
    if application.latest_receipt is None:  # submitted before receipts were stored
        with UploadBatch() as batch, transaction():
            submission.issue_receipt(application, batch, application.submitted_at)
    return _send_receipt(application, application.latest_receipt)


@bp.get("/<int:application_id>/receipts/<int:receipt_id>.pdf")
@login_required
def receipt_version(application_id: int, receipt_id: int):
    """An earlier receipt of the same application (each answered request has its own)."""
    application = access.viewable_application(application_id)
    found = next((item for item in application.receipts if item.id == receipt_id), None)
    return _send_receipt(application, found or abort(404))


def _send_receipt(application: Application, receipt: Receipt):
    response = send_file(
        store.path_of(receipt.stored_name),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=submission.receipt_name(application, receipt),
        max_age=0,
        etag=receipt.sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
