"""Evidence files: download, preview, replace and delete."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications import access, evidence, services
from seal_app.applications.blueprint import bp, max_file_bytes, school_only
from seal_app.applications.forms import (
    ReplaceFileForm,
)
from seal_app.applications.models import Application
from seal_app.auth.decorators import login_required
from seal_app.database import transaction
from seal_app.security import accepts_uploads
from seal_app.uploads import store
from seal_app.uploads.checks import UploadRejectedError, download_name
from seal_app.uploads.store import UploadBatch

# Files are shown sandboxed, downloaded or inline: no script of a file ever runs as the app.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


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
            evidence.delete_file(application, file, current_user, batch)
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
            stored = batch.save(upload, max_file_bytes())
            evidence.replace_file(application, file, stored, current_user, batch)
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
