"""The school's criterion pages (self-assessment with evidence) and, in a renewal, the notes
per area on what developed since the last application."""

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

from seal_app.applications import access, evidence, services
from seal_app.applications.blueprint import bp
from seal_app.applications.forms import (
    CriterionForm,
    RenewalNoteForm,
    ResponseForm,
)
from seal_app.applications.models import Application, ApplicationStatus
from seal_app.applications.progress import (
    missing_after_save,
    missing_parts,
)
from seal_app.applications.staging import save_with_uploads
from seal_app.auth.decorators import login_required
from seal_app.security import accepts_uploads
from seal_app.views import save_versioned


@bp.route("/<int:application_id>/criteria/<code>", methods=["GET", "POST"])
@accepts_uploads
@login_required
def criterion(application_id: int, code: str):
    application = access.viewable_application(application_id)
    catalogue = services.catalogue_of(application)
    item = catalogue.criterion(code) or abort(404)
    answer = application.answer_for(code)
    form = CriterionForm.with_files(application.files_for(code), obj=answer)
    form.use_scale(catalogue)
    response_form = _response_form(application, code)
    stale = None
    if request.method == "POST":
        access.editable_application(application_id)
        if not application.is_editable:
            abort(409)
        saved, stale = _save_criterion(application, code, form)
        if saved:
            flash(_saved_message(application, code), "success")
            return redirect(_after_save(application, catalogue, code))
    return render_criterion(application, catalogue, item, form, response_form, stale)


def _saved_message(application: Application, code: str) -> str:
    """„B.1 ist gespeichert.“, and what completeness still needs, if anything."""
    missing = missing_parts(application.answer_for(code), application.files_for(code))
    return " ".join(
        part
        for part in (_("%(code)s ist gespeichert.", code=code), missing_after_save(missing))
        if part
    )


def render_criterion(application, catalogue, item, form, response_form, stale):
    """The criterion page; each form shows the files kept for it in its upload slots."""
    return render_template(
        "applications/criterion.html",
        application=application,
        catalogue=catalogue,
        criterion=item,
        answer=application.answer_for(item.code),
        form=form,
        stale=stale,
        response_form=response_form,
        files=application.files_for(item.code),
        next_code=_next_code(catalogue, item.code),
    )


def _save_criterion(application: Application, code: str, form: CriterionForm):
    def save() -> None:
        services.save_answer(application, code, form.values(), form.version.data, current_user)
        evidence.describe_files(application, form.changed_descriptions(), current_user)

    return save_with_uploads(application, code, form, save, lambda: application.answer_for(code))


def _after_save(application: Application, catalogue, code: str) -> str:
    next_code = _next_code(catalogue, code)
    if request.form.get("action") == "next" and next_code:
        return url_for("applications.criterion", application_id=application.id, code=next_code)
    if request.form.get("action") in ("overview", "next"):
        return url_for("applications.overview", application_id=application.id)
    return url_for("applications.criterion", application_id=application.id, code=code)


def _next_code(catalogue, code: str) -> str | None:
    codes = [criterion.code for criterion in catalogue.criteria]
    index = codes.index(code)
    return codes[index + 1] if index + 1 < len(codes) else None


def _response_form(application: Application, code: str) -> ResponseForm | None:
    open_request = application.open_request
    if application.status is not ApplicationStatus.MORE_REQUESTED or open_request is None:
        return None
    if code not in open_request.criteria_codes:
        return None
    return ResponseForm(obj=open_request.response_for(code), prefix="response")


@bp.route("/<int:application_id>/renewal/<area_code>", methods=["GET", "POST"])
@login_required
def renewal(application_id: int, area_code: str):
    application = access.viewable_application(application_id)
    catalogue = services.catalogue_of(application)
    area = next((a for a in catalogue.areas if a.code == area_code), None)
    if area is None or application.kind.value != "renewal":
        abort(404)
    note = application.renewal_note(area_code)
    form = RenewalNoteForm(obj=note)
    stale = None
    if request.method == "POST":
        access.editable_application(application_id)
        if not application.is_editable:
            abort(409)
        if form.validate_on_submit():

            def save() -> None:
                services.save_renewal_note(
                    application,
                    area_code,
                    form.changes.data or "",
                    form.advice_response.data or "",
                    form.version.data,
                    current_user,
                )

            saved, stale = save_versioned(form, save, lambda: application.renewal_note(area_code))
            if saved:
                flash(
                    _("Die Angaben zu Bereich %(code)s sind gespeichert.", code=area_code),
                    "success",
                )
                return redirect(url_for("applications.overview", application_id=application.id))
    return render_template(
        "applications/renewal.html",
        application=application,
        area=area,
        form=form,
        note=note,
        stale=stale,
        previous=application.previous_application,
    )
