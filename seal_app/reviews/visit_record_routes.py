"""The visit's record: read by the office and by the application's assessors once their review
is in, who may then append to the protocol (text, photos); the photos and their thumbnails,
only for those who may read the protocol (404 for anyone else, the school too)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications import services as application_services
from seal_app.applications.models import Application
from seal_app.auth.decorators import login_required
from seal_app.database import transaction
from seal_app.db_types import utcnow
from seal_app.reviews import visit_record, visits
from seal_app.reviews.jury_blueprint import assessor_only, bp, office_only
from seal_app.reviews.models import Assignment, ConflictState, Visit
from seal_app.reviews.submission import is_submitted
from seal_app.reviews.visit_record_forms import AdditionForm, DeletePhotoForm
from seal_app.reviews.visit_record_models import VisitPhoto
from seal_app.security import accepts_uploads
from seal_app.uploads import store
from seal_app.uploads.checks import UploadRejectedError
from seal_app.uploads.photos import save_photo
from seal_app.views import get_or_404

PHOTO_POLICY = "default-src 'none'; sandbox"


@bp.app_template_global()
def visit_entries(visit: Visit | None) -> dict[str | None, list[visit_record.Entry]]:
    """The additions and photos of a visit per area code, for the pages showing protocols."""
    return visit_record.entries_by_area(visit)


@bp.app_template_global()
def visit_states(application_ids) -> dict[int, visit_record.VisitState]:
    """The visit of each application (if any): planned or took place, what was recorded."""
    return visit_record.visit_states(application_ids, utcnow())


@bp.app_template_global()
def visit_took_place(visit: Visit) -> bool:
    return visits.took_place(visit, utcnow())


def _own_assignment(assignment_id: int) -> tuple[Assignment, Visit]:
    assignment = get_or_404(Assignment, assignment_id)
    if (
        assignment.assessor_id != current_user.id
        or assignment.conflict_state is not ConflictState.NONE
    ):
        abort(404)
    visit = visits.visit_of(assignment.application_id) or abort(404)
    return assignment, visit


@bp.route("/review/<int:assignment_id>/visit/record", methods=["GET", "POST"])
@accepts_uploads
@assessor_only
def visit_record_page(assignment_id: int):
    assignment, visit = _own_assignment(assignment_id)
    catalogue = application_services.catalogue_of(assignment.application)
    form = AdditionForm()
    form.use_catalogue(catalogue)
    refusal = visit_record.refusal_to_add(visit, assignment, utcnow())
    if request.method == "POST":
        if refusal is not None:
            form.validate_on_submit()  # the typed text stays; the reason is the message
            form.text.errors = [*form.text.errors, refusal]
        elif form.validate_on_submit() and _add(visit, assignment, catalogue, form):
            flash(_("Ihre Ergänzung ist dem Protokoll angefügt."), "success")
            return redirect(url_for("jury.visit_record_page", assignment_id=assignment.id))
    return _render(
        visit,
        catalogue,
        readable=is_submitted(assignment),
        assignment=assignment,
        form=form if refusal is None or form.errors else None,
        refusal=refusal,
        photo_not_kept=request.method == "POST" and form.upload() is not None,
    )


def _add(visit: Visit, assignment: Assignment, catalogue, form: AdditionForm) -> bool:
    upload = form.upload()
    try:
        with store.UploadBatch() as batch, transaction():
            photo = None
            if upload is not None:
                photo = save_photo(batch, upload, current_app.config["VISIT_PHOTO_MAX_BYTES"])
            visit_record.add_to_protocol(
                visit,
                assignment,
                catalogue,
                form.area.data or None,
                form.text.data or "",
                photo,
                form.caption.data or "",
                current_user,
                utcnow(),
            )
    except UploadRejectedError as error:
        form.photo.errors = [*form.photo.errors, str(error)]
        return False
    except visits.VisitError as error:
        target = form[error.field] if error.field else form.text
        target.errors = [*target.errors, str(error)]
        return False
    return True


@bp.get("/office/applications/<int:application_id>/visit/record")
@office_only
def office_visit_record(application_id: int):
    application = get_or_404(Application, application_id)
    visit = visits.visit_of(application.id) or abort(404)
    catalogue = application_services.catalogue_of(application)
    return _render(visit, catalogue, readable=True)


def _render(visit: Visit, catalogue, readable: bool, **context):
    return render_template(
        "reviews/visit_record.html",
        visit=visit,
        application=visit.application,
        sections=visit_record.sections_of(visit, catalogue) if readable else None,
        took_place=visits.took_place(visit, utcnow()),
        delete_form=DeletePhotoForm(prefix="delete"),
        **context,
    )


def _photo(photo_id: int) -> VisitPhoto:
    photo = get_or_404(VisitPhoto, photo_id)
    if not visit_record.may_see_photo(current_user, photo):
        abort(404)
    return photo


@bp.get("/visit-photos/<int:photo_id>")
@login_required
def visit_photo(photo_id: int):
    photo = _photo(photo_id)
    return _send(photo.stored_name, photo.media_type)


@bp.get("/visit-photos/<int:photo_id>/thumbnail")
@login_required
def visit_photo_thumbnail(photo_id: int):
    photo = _photo(photo_id)
    return _send(photo.thumbnail_name, "image/jpeg")


def _send(stored_name: str, media_type: str):
    response = send_file(store.path_of(stored_name), mimetype=media_type, max_age=0)
    response.headers["Content-Security-Policy"] = PHOTO_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/visit-photos/<int:photo_id>/delete")
@assessor_only
def delete_visit_photo(photo_id: int):
    photo = _photo(photo_id)
    own = visit_record.own_cleared_assignment(current_user, photo.visit.application_id)
    DeletePhotoForm(prefix="delete").validate_on_submit() or abort(400)
    try:
        with store.UploadBatch() as batch, transaction():
            visit_record.delete_photo(photo, current_user, batch)
    except visits.VisitError as error:
        flash(str(error), "danger")
    else:
        flash(_("Das Foto ist gelöscht."), "success")
    return redirect(url_for("jury.visit_record_page", assignment_id=own.id))
