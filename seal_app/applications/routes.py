"""The school's application pages: overview, criteria, votes, files, submission, receipt."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from seal_app.applications import access, services
from seal_app.applications.forms import (
    CriterionForm,
    RenewalNoteForm,
    ReplaceFileForm,
    ResponseForm,
    VoteForm,
)
from seal_app.applications.models import Application, ApplicationStatus, VoteKind
from seal_app.applications.progress import progress, submission_blockers
from seal_app.applications.receipt import receipt_pdf
from seal_app.auth.decorators import login_required, roles_required
from seal_app.auth.models import Role
from seal_app.database import transaction
from seal_app.extensions import db
from seal_app.rounds.services import open_round
from seal_app.schools.models import School
from seal_app.uploads import store
from seal_app.uploads.checks import UploadRejectedError
from seal_app.uploads.store import UploadBatch

bp = Blueprint("applications", __name__, url_prefix="/applications")
school_only = roles_required(Role.SCHOOL)
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def _max_file() -> int:
    return current_app.config["UPLOAD_MAX_FILE_BYTES"]


@bp.post("/start")
@school_only
def start():
    school = db.session.get(School, request.form.get("school_id", type=int) or 0)
    round_ = open_round()
    if school is None or not access.is_member(current_user, school.id):
        abort(404)
    if round_ is None:
        flash(_("Zurzeit ist keine Vergaberunde offen."), "warning")
        return redirect(url_for("main.home"))
    try:
        with UploadBatch() as batch, transaction():
            application = services.start_application(
                school, round_, current_user, batch, services.local_today()
            )
    except services.ApplicationError as error:
        flash(str(error), "danger")
        return redirect(url_for("main.home"))
    return redirect(url_for("applications.overview", application_id=application.id))


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
        blockers=submission_blockers(application, state, services.local_today()),
    )


@bp.route("/<int:application_id>/criteria/<code>", methods=["GET", "POST"])
@login_required
def criterion(application_id: int, code: str):
    application = access.viewable_application(application_id)
    catalogue = services.catalogue_of(application)
    item = catalogue.criterion(code) or abort(404)
    answer = application.answer_for(code)
    form = CriterionForm(obj=answer)
    form.use_scale(catalogue)
    response_form = _response_form(application, code)
    stale = None
    if request.method == "POST":
        access.editable_application(application_id)
        if not application.is_editable:
            abort(409)
        saved, stale = _save_criterion(application, code, form)
        if saved:
            flash(_("%(code)s ist gespeichert.", code=code), "success")
            return redirect(_after_save(application, catalogue, code))
    return _render_criterion(application, catalogue, item, form, response_form, stale, form)


def _render_criterion(application, catalogue, item, form, response_form, stale, staging_form):
    """The criterion page; ``staging_form`` is the form whose kept files are listed."""
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
        staged=_staged(application, staging_form),
        replace_form=ReplaceFileForm(),
        next_code=_next_code(catalogue, item.code),
    )


def _save_criterion(application: Application, code: str, form: CriterionForm):
    def save() -> None:
        services.save_answer(application, code, form.values(), form.version.data, current_user)

    return _save_with_uploads(application, code, form, save, lambda: application.answer_for(code))


def _save_with_uploads(
    application: Application, code: str, form, save, current, evidence_request=None
):
    """Keep every valid file whatever happens; run ``save`` only if the whole form is right.

    Returns (saved, what someone else saved meanwhile or None).
    """
    valid = form.validate_on_submit() & form.check_descriptions()
    staged_ids = form.staged_ids() + _stage_uploads(application, code, form, evidence_request)
    form.staged.data = ",".join(str(number) for number in staged_ids)
    if not valid or any(file_field.errors for file_field, _d in form.upload_slots()):
        return False, None

    def save_and_attach() -> None:
        save()
        services.attach_staged(application, staged_ids, current_user)

    return _save_versioned(application, form, save_and_attach, current)


def _save_versioned(application: Application, form, save, current):
    """Run ``save`` in a transaction; if someone saved in between, keep the typed form on the
    newest version and return (False, what they saved)."""
    try:
        with transaction():
            save()
    except services.StaleEditError as error:
        db.session.refresh(application)
        latest = error.current or current()
        form.version.data = latest.version if latest else None
        return False, latest
    return True, None


def _stage_uploads(application: Application, code: str, form, evidence_request=None) -> list:
    staged = []
    for file_field, description in form.chosen_uploads():
        try:
            with UploadBatch() as batch, transaction():
                stored = batch.save(file_field.data, _max_file())
                evidence = services.attach_file(
                    application,
                    stored,
                    description.data or "",
                    current_user,
                    code,
                    staged=True,
                    evidence_request=evidence_request,
                )
        except UploadRejectedError as error:
            file_field.errors = [*file_field.errors, str(error)]
        else:
            staged.append(evidence.id)
    return staged


def _staged(application: Application, form) -> list:
    wanted = set(form.staged_ids())
    return [file for file in application.files if file.staged and file.id in wanted]


def _after_save(application: Application, catalogue, code: str) -> str:
    next_code = _next_code(catalogue, code)
    if request.form.get("action") == "next" and next_code:
        return url_for("applications.criterion", application_id=application.id, code=next_code)
    if request.form.get("action") == "overview" or not next_code:
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


@bp.post("/<int:application_id>/criteria/<code>/response")
@school_only
def respond(application_id: int, code: str):
    application = access.editable_application(application_id)
    catalogue = services.catalogue_of(application)
    item = catalogue.criterion(code) or abort(404)
    try:
        evidence_request = services.open_request_for(application, code)
    except services.ApplicationError as error:
        flash(str(error), "danger")
        return redirect(url_for("applications.overview", application_id=application.id))
    form = ResponseForm(prefix="response")

    def save() -> None:
        services.save_request_response(
            application, code, form.text.data or "", form.version.data, current_user
        )

    saved, stale = _save_with_uploads(
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
    return _render_criterion(application, catalogue, item, criterion_form, form, stale, form)


@bp.post("/<int:application_id>/resubmit")
@school_only
def resubmit(application_id: int):
    application = access.editable_application(application_id)
    try:
        with transaction():
            services.resubmit(application, current_user)
    except services.ApplicationError as error:
        flash(str(error), "danger")
    else:
        flash(_("Ihre Ergänzungen sind eingereicht. Vielen Dank!"), "success")
    return redirect(url_for("applications.overview", application_id=application.id))


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

            saved, stale = _save_versioned(
                application, form, save, lambda: application.renewal_note(area_code)
            )
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


@bp.route("/<int:application_id>/votes", methods=["GET"])
@login_required
def votes(application_id: int):
    application = access.viewable_application(application_id)
    forms = {kind: _vote_form(application, kind) for kind in VoteKind}
    return render_template("applications/votes.html", application=application, forms=forms)


def _vote_form(application: Application, kind: VoteKind) -> VoteForm:
    return VoteForm(prefix=kind.value, obj=application.vote(kind))


@bp.post("/<int:application_id>/votes/<kind>")
@school_only
def save_vote(application_id: int, kind: str):
    application = access.editable_application(application_id)
    try:
        vote_kind = VoteKind(kind)
    except ValueError:
        abort(404)
    forms = {other: _vote_form(application, other) for other in VoteKind}
    form = VoteForm(prefix=vote_kind.value)
    forms[vote_kind] = form
    upload = form.document.data if form.document.data and form.document.data.filename else None
    valid = form.validate_on_submit()
    if valid and form.decided_on.data > services.local_today():
        form.decided_on.errors = [_("Das Datum darf nicht in der Zukunft liegen.")]
        valid = False
    if valid:
        try:
            with UploadBatch() as batch, transaction():
                stored = batch.save(upload, _max_file()) if upload else None
                services.save_vote(
                    application, vote_kind, form.decided_on.data, stored, current_user, batch
                )
        except UploadRejectedError as error:
            form.document.errors = [*form.document.errors, str(error)]
        except services.ApplicationError as error:
            flash(str(error), "danger")
        else:
            flash(_("%(vote)s ist gespeichert.", vote=vote_kind.label), "success")
            return redirect(url_for("applications.votes", application_id=application.id))
    return render_template(
        "applications/votes.html", application=application, forms=forms, failed=vote_kind
    )


@bp.post("/<int:application_id>/files/<int:file_id>/delete")
@school_only
def delete_file(application_id: int, file_id: int):
    application = access.editable_application(application_id)
    file = access.file_of(application, file_id)
    code = file.criterion_code
    try:
        with UploadBatch() as batch, transaction():
            services.delete_file(application, file, current_user, batch)
    except services.ApplicationError as error:
        flash(str(error), "danger")
    else:
        flash(_("„%(name)s“ ist gelöscht.", name=file.display_name), "success")
    return redirect(_file_home(application, code))


@bp.post("/<int:application_id>/files/<int:file_id>/replace")
@school_only
def replace_file(application_id: int, file_id: int):
    application = access.editable_application(application_id)
    file = access.file_of(application, file_id)
    form = ReplaceFileForm()
    code = file.criterion_code
    upload = form.file.data if form.file.data and form.file.data.filename else None
    if upload is None:
        flash(_("Bitte wählen Sie die neue Datei aus."), "danger")
        return redirect(_file_home(application, code))
    try:
        with UploadBatch() as batch, transaction():
            stored = batch.save(upload, _max_file())
            services.replace_file(application, file, stored, current_user, batch)
    except (UploadRejectedError, services.ApplicationError) as error:
        flash(_("Die Datei wurde nicht ersetzt: %(reason)s", reason=str(error)), "danger")
    else:
        flash(_("„%(name)s“ ist ersetzt.", name=file.display_name), "success")
    return redirect(_file_home(application, code))


def _file_home(application: Application, code: str | None) -> str:
    if code is None:
        return url_for("applications.votes", application_id=application.id)
    return url_for("applications.criterion", application_id=application.id, code=code)


@bp.get("/<int:application_id>/files/<int:file_id>")
@login_required
def download(application_id: int, file_id: int):
    return _send(application_id, file_id, inline=False)


@bp.get("/<int:application_id>/files/<int:file_id>/preview")
@login_required
def preview(application_id: int, file_id: int):
    return _send(application_id, file_id, inline=True)


def _send(application_id: int, file_id: int, inline: bool):
    application = access.viewable_application(application_id)
    file = access.file_of(application, file_id)
    if inline and not file.previewable:
        abort(404)
    response = send_file(
        store.path_of(file.stored_name),
        mimetype=file.media_type,
        as_attachment=not inline,
        download_name=file.display_name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = FILE_POLICY + ("" if inline else "; sandbox")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
@login_required
def submit(application_id: int):
    application = access.viewable_application(application_id)
    if request.method == "POST":
        access.editable_application(application_id)
        try:
            with UploadBatch() as batch, transaction():
                services.submit(application, current_user, services.local_today(), batch)
        except services.ApplicationError as error:
            flash(str(error), "danger")
        else:
            flash(_("Ihr Antrag ist eingereicht. Vielen Dank!"), "success")
            return redirect(url_for("applications.overview", application_id=application.id))
    blockers = (
        services.blockers_for(application, services.local_today())
        if application.is_editable
        else []
    )
    return render_template("applications/submit.html", application=application, blockers=blockers)


@bp.get("/<int:application_id>/receipt.pdf")
@login_required
def receipt(application_id: int):
    application = access.viewable_application(application_id)
    if application.submitted_at is None:
        abort(404)
    pdf = receipt_pdf(application, services.catalogue_of(application))
    name = f"Eingangsbestaetigung-{application.school.school_number}-{application.round.year}.pdf"
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


office = Blueprint("office_applications", __name__, url_prefix="/office/applications")


@office.get("/")
@roles_required(Role.OFFICE)
def office_index():
    applications = db.session.scalars(
        sa.select(Application)
        .join(Application.school)
        .order_by(School.name)
        .options(selectinload(Application.school), selectinload(Application.round))
    ).all()
    return render_template("applications/office_index.html", applications=applications)
