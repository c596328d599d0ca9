"""The school's application pages: overview, criteria, votes, files, submission, receipt."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
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
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from seal_app.applications import access, services
from seal_app.applications.forms import (
    CriterionForm,
    RenewalNoteForm,
    ReplaceFileForm,
    ResponseForm,
    VotesForm,
)
from seal_app.applications.models import Application, ApplicationStatus, Receipt, VoteKind
from seal_app.applications.progress import (
    incomplete_optional,
    missing_after_save,
    missing_parts,
    progress,
    self_assessment,
    submission_blockers,
)
from seal_app.auth.decorators import login_required, roles_required
from seal_app.auth.models import Role
from seal_app.database import ConflictError, transaction
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.rounds.services import open_round
from seal_app.schools.models import School
from seal_app.security import accepts_uploads
from seal_app.uploads import store
from seal_app.uploads.checks import UploadRejectedError, download_name
from seal_app.uploads.store import UploadBatch
from seal_app.views import database_id, save_versioned

bp = Blueprint("applications", __name__, url_prefix="/applications")
school_only = roles_required(Role.SCHOOL)
# Files are shown sandboxed, downloaded or inline: no script of a file ever runs as the app.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _max_file() -> int:
    return current_app.config["UPLOAD_MAX_FILE_BYTES"]


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
        return services.start_application(
            school, round_, current_user, batch, services.local_today()
        )


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
        review_assignment=(
            access.cleared_assignment(current_user, application.id)
            if current_user.role is Role.ASSESSOR
            else None
        ),
    )


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
    return _render_criterion(application, catalogue, item, form, response_form, stale)


def _saved_message(application: Application, code: str) -> str:
    """„B.1 ist gespeichert.“, and what completeness still needs, if anything."""
    missing = missing_parts(application.answer_for(code), application.files_for(code))
    return " ".join(
        part
        for part in (_("%(code)s ist gespeichert.", code=code), missing_after_save(missing))
        if part
    )


def _render_criterion(application, catalogue, item, form, response_form, stale):
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
        services.describe_files(application, form.changed_descriptions(), current_user)

    return _save_with_uploads(application, code, form, save, lambda: application.answer_for(code))


def _save_with_uploads(
    application: Application, code: str, form, save, current, evidence_request=None
):
    """Keep every valid file whatever happens; run ``save`` only if the whole form is right.

    Returns (saved, what someone else saved meanwhile or None).
    """
    valid = form.validate_on_submit()
    _keep_files(application, code, form, evidence_request)
    _stage_uploads(application, code, form, evidence_request)
    valid = form.check_descriptions() and valid
    if not valid or form.upload_errors():
        return False, None
    descriptions = form.kept_descriptions()

    def save_and_attach() -> None:
        save()
        services.attach_staged(application, descriptions, current_user)

    return save_versioned(form, save_and_attach, current)


def _keep_files(application: Application, code: str, form, evidence_request=None) -> None:
    """Put the files kept from the form's earlier try back into their slots; forget those
    the person dropped. Only staged files of this application, criterion and request count."""
    request_id = evidence_request.id if evidence_request else None
    candidates = {
        file.id: file
        for file in application.files
        if file.staged and file.criterion_code == code and file.evidence_request_id == request_id
    }
    dropped = []
    for slot in form.upload_slots():
        file = candidates.pop(form.kept_id(slot) or 0, None)
        if file is not None and slot.drop.data:
            dropped.append(file)
            file = None
        form.keep(slot, file)
        if file is not None:
            try:
                services.refuse_duplicate(application, code, file.sha256, form.kept_files(slot))
            except UploadRejectedError as error:
                slot.file.errors = [*slot.file.errors, str(error)]
    if dropped:
        with UploadBatch() as batch, transaction():
            services.discard_staged(application, dropped, batch)


def _stage_uploads(application: Application, code: str, form, evidence_request=None) -> None:
    """Check and keep each newly chosen file in its slot, replacing a file kept there."""
    for slot in form.upload_slots():
        if not slot.chosen:
            continue
        try:
            with UploadBatch() as batch, transaction():
                stored = batch.save(slot.file.data, _max_file())
                evidence = services.attach_file(
                    application,
                    stored,
                    slot.description.data or "",
                    current_user,
                    code,
                    staged=True,
                    evidence_request=evidence_request,
                    pending=form.kept_files(slot),
                )
                if slot.kept_file is not None:
                    services.discard_staged(application, [slot.kept_file], batch)
        except UploadRejectedError as error:
            slot.file.errors = [*slot.file.errors, str(error)]
        else:
            form.keep(slot, evidence)


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
    return _render_criterion(application, catalogue, item, criterion_form, form, stale)


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
            services.resubmit(application, current_user, batch)
    except services.SupplementMissingError as error:
        message = render_template(
            "applications/_supplement_missing.html", application=application, codes=error.codes
        )
        flash(Markup(message.strip()), "danger")
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


@bp.get("/<int:application_id>/votes")
@login_required
def votes(application_id: int):
    application = access.viewable_application(application_id)
    return _render_votes(application, _votes_form(application), {})


def _votes_form(application: Application) -> VotesForm:
    """The votes form showing the saved dates; what a POST sends takes their place."""
    saved = {
        kind.value: {"decided_on": vote.decided_on}
        for kind in VoteKind
        if (vote := application.vote(kind)) is not None
    }
    return VotesForm(data=saved)


def _render_votes(application: Application, form: VotesForm, kept: dict):
    for kind, entry in form.entries():
        if application.vote(kind) is not None or kind in kept:
            entry.document.description = _("Nur wählen, wenn Sie das Dokument ersetzen möchten.")
    return render_template("applications/votes.html", application=application, form=form, kept=kept)


@bp.post("/<int:application_id>/votes")
@accepts_uploads
@school_only
def save_votes(application_id: int):
    """Save every vote filled in, or none of them: when one is refused, every typed date and
    every accepted document stays in the form, and the refused part is named at its field."""
    application = access.editable_application(application_id)
    try:
        services.require_editable(application)
    except services.ApplicationError as error:
        flash(str(error), "danger")
        return redirect(url_for("applications.votes", application_id=application.id))
    form = _votes_form(application)
    valid = form.validate_on_submit()
    kept = _keep_vote_documents(application, form)
    changes = _vote_changes(application, form, kept, services.local_today())
    if not valid or form.errors:
        return _render_votes(application, form, kept)
    if not changes:
        flash(_("Es gab nichts Neues zu speichern."), "info")
        return redirect(url_for("applications.votes", application_id=application.id))
    try:
        with UploadBatch() as batch, transaction():
            for kind, decided_on, document in changes:
                services.save_vote(application, kind, decided_on, document, current_user, batch)
    except (services.ApplicationError, UploadRejectedError) as error:
        flash(str(error), "danger")
        return _render_votes(application, form, kept)
    for kind, _decided_on, _document in changes:
        flash(_("%(vote)s ist gespeichert.", vote=kind.label), "success")
    next_steps = render_template("applications/_votes_saved.html", application=application)
    flash(Markup(next_steps.strip()), "info")
    return redirect(url_for("applications.votes", application_id=application.id))


def _keep_vote_documents(application: Application, form: VotesForm) -> dict:
    """Store each chosen document at once, kept apart until the votes are saved, so that a
    failed save never asks for it again; a refused file is named at its field."""
    kept = {}
    for kind, entry in form.entries():
        document = _kept_document(application, entry.kept_id())
        upload = entry.chosen_document()
        if upload is not None:
            try:
                with UploadBatch() as batch, transaction():
                    stored = batch.save(upload, _max_file())
                    if document is not None:  # another file chosen instead of the kept one
                        services.discard_staged(application, [document], batch)
                    document = services.attach_file(
                        application, stored, kind.label, current_user, None, staged=True
                    )
            except UploadRejectedError as error:
                _add_error(entry.document, str(error))
        if document is not None:
            kept[kind] = document
            entry.kept.data = str(document.id)
    return kept


def _kept_document(application: Application, file_id: int | None):
    return next(
        (
            file
            for file in application.files
            if file.id == file_id and file.staged and file.criterion_code is None
        ),
        None,
    )


def _vote_changes(application: Application, form: VotesForm, kept: dict, today) -> list:
    changes = []
    for kind, entry in form.entries():
        change = _vote_change(application.vote(kind), entry, kept.get(kind), today)
        if change is not None:
            changes.append((kind, *change))
    return changes


def _vote_change(vote, entry, document, today):
    """(date, new document or None) to save for one vote, or None: unchanged, left empty, or
    refused (then the reason is added to its field)."""
    decided_on = entry.decided_on.data
    if entry.decided_on.errors:
        return None
    if decided_on is None:
        if document is not None or vote is not None or entry.chosen_document() is not None:
            _add_error(entry.decided_on, _("Bitte geben Sie das Datum an."))
        return None
    if decided_on > today:
        _add_error(entry.decided_on, _("Das Datum darf nicht in der Zukunft liegen."))
        return None
    if document is None and vote is None:
        if not entry.document.errors:
            _add_error(entry.document, _("Bitte laden Sie das Dokument dazu hoch."))
        return None
    if document is None and vote.decided_on == decided_on:
        return None
    return decided_on, document


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


@bp.get("/<int:application_id>/files/<int:file_id>/delete")
@school_only
def confirm_delete_file(application_id: int, file_id: int):
    """Ask before deleting: a deleted file cannot be brought back (no JavaScript needed)."""
    application = access.editable_application(application_id)
    file = access.file_of(application, file_id)
    back = _file_home(application, file.criterion_code)
    if not application.is_editable:
        return redirect(back)
    catalogue = services.catalogue_of(application)
    return render_template(
        "applications/delete_file.html",
        application=application,
        file=file,
        criterion=catalogue.criterion(file.criterion_code) if file.criterion_code else None,
        back=back,
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


@bp.get("/<int:application_id>/files/<int:file_id>/replace")
@login_required
def replace_file_page(application_id: int, file_id: int):
    """The address of a replace button, opened again: the page listing the file."""
    application = access.viewable_application(application_id)
    file = access.file_of(application, file_id)
    return redirect(_file_home(application, file.criterion_code))


@bp.post("/<int:application_id>/files/<int:file_id>/replace")
@accepts_uploads
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
        download_name=download_name(file.display_name, file.media_type),
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = FILE_POLICY + (
        "; frame-ancestors 'self'" if inline else "; frame-ancestors 'none'"
    )
    if inline:  # the assessor's scoring page shows the preview in a frame of this site
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
                services.submit(application, current_user, services.local_today(), batch)
        except services.ApplicationError as error:
            flash(str(error), "danger")
        else:
            return redirect(url_for("applications.submitted", application_id=application.id))
    catalogue = services.catalogue_of(application)
    state = progress(application, catalogue)
    blockers = (
        submission_blockers(application, state, services.local_today())
        if application.is_editable
        else []
    )
    return render_template(
        "applications/submit.html",
        application=application,
        catalogue=catalogue,
        state=state,
        blockers=blockers,
        incomplete=incomplete_optional(state),
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
            services.issue_receipt(application, batch, application.submitted_at)
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
        download_name=services.receipt_name(application, receipt),
        max_age=0,
        etag=receipt.sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


office = Blueprint("office_applications", __name__, url_prefix="/office/applications")


@office.get("/")
@roles_required(Role.OFFICE)
def office_index():
    """Every application, or those of one status (``?status=submitted``) and/or one round
    (``?round=<id>``); a filter that names nothing known is dropped with a message."""
    query = (
        sa.select(Application)
        .join(Application.school)
        .order_by(School.name)
        .options(selectinload(Application.school), selectinload(Application.round))
    )
    status, round_, unknown = _office_filters()
    if status is not None:
        query = query.where(Application.status == status)
    if round_ is not None:
        query = query.where(Application.round_id == round_.id)
    return render_template(
        "applications/office_index.html",
        applications=db.session.scalars(query).all(),
        status=status,
        round=round_,
        unknown_filter=unknown,
    )


def _office_filters() -> tuple[ApplicationStatus | None, Round | None, bool]:
    status_text = request.args.get("status", "")
    status = next((item for item in ApplicationStatus if item.value == status_text), None)
    round_text = request.args.get("round", "")
    round_id = request.args.get("round", 0, type=database_id)
    round_ = db.session.get(Round, round_id) if round_id else None
    unknown = (bool(status_text) and status is None) or (bool(round_text) and round_ is None)
    return status, round_, unknown
