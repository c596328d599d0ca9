"""The school's answers to a request for more evidence, and handing them in."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from seal_app.applications import access, evidence_requests, services
from seal_app.applications.blueprint import bp, school_only
from seal_app.applications.criterion_routes import render_criterion
from seal_app.applications.forms import (
    CriterionForm,
    ResponseForm,
)
from seal_app.applications.staging import save_with_uploads
from seal_app.auth.decorators import login_required
from seal_app.database import transaction
from seal_app.errors import refusal_page
from seal_app.security import accepts_uploads
from seal_app.uploads.store import UploadBatch


@bp.get("/<int:application_id>/criteria/<code>/response")
@login_required
def response_page(application_id: int, code: str):
    """The address a failed response form is shown under, opened again: its criterion page."""
    access.viewable_application(application_id)
    return redirect(
        url_for(
            "applications.criterion",
            application_id=application_id,
            code=code,
            _anchor="response-title",
        )
    )


@bp.post("/<int:application_id>/criteria/<code>/response")
@accepts_uploads
@school_only
def respond(application_id: int, code: str):
    application = access.editable_application(application_id)
    catalogue = services.catalogue_of(application)
    item = catalogue.criterion(code) or abort(404)
    try:
        evidence_request = evidence_requests.open_request_for(application, code)
    except services.ApplicationError as error:
        # A colleague answered or the office closed the request meanwhile: keep the text.
        return refusal_page(
            _("Nicht mehr offen"), f"{error} {_('Ihre Eingaben wurden nicht gespeichert.')}"
        )
    form = ResponseForm(prefix="response")

    def save() -> None:
        evidence_requests.save_request_response(
            application, code, form.text.data or "", form.version.data, current_user
        )

    saved, stale = save_with_uploads(
        application,
        code,
        form,
        save,
        lambda: evidence_request.response_for(code),
        evidence_request,
    )
    if saved:
        flash(_("Ihre Ergänzung zu %(code)s ist gespeichert.", code=code), "success")
        return redirect(url_for("applications.overview", application_id=application.id))
    criterion_form = CriterionForm(obj=application.answer_for(code), formdata=None)
    criterion_form.use_scale(catalogue)
    return render_criterion(application, catalogue, item, criterion_form, form, stale)


@bp.get("/<int:application_id>/resubmit")
@login_required
def resubmit_page(application_id: int):
    """The address of the resubmit button, opened again: the overview has the button."""
    access.viewable_application(application_id)
    return redirect(url_for("applications.overview", application_id=application_id))


@bp.post("/<int:application_id>/resubmit")
@school_only
def resubmit(application_id: int):
    application = access.editable_application(application_id)
    try:
        with UploadBatch() as batch, transaction():
            evidence_requests.resubmit(application, current_user, batch)
    except evidence_requests.SupplementMissingError as error:
        message = render_template(
            "applications/_supplement_missing.html", application=application, codes=error.codes
        )
        flash(Markup(message.strip()), "danger")
    except services.ApplicationError as error:
        flash(str(error), "danger")
    else:
        flash(_("Ihre Ergänzungen sind eingereicht. Vielen Dank!"), "success")
    return redirect(url_for("applications.overview", application_id=application.id))
