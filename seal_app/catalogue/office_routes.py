"""The office's pages for catalogue versions: the list, the diff, adding a version."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.catalogue import versions
from seal_app.catalogue.diff import CatalogueDiff, diff
from seal_app.catalogue.forms import ConfirmVersionForm, UploadVersionForm
from seal_app.catalogue.model import Catalogue
from seal_app.database import ConflictError, transaction
from seal_app.security import accepts_uploads

bp = Blueprint("catalogue_versions", __name__, url_prefix="/office/catalogue")
office_only = roles_required(Role.OFFICE)


@bp.get("/versions")
@office_only
def index():
    return render_template("catalogue/versions.html", versions=versions.known_versions())


@bp.get("/versions/<version>/changes")
@office_only
def changes(version: str):
    catalogue = versions.catalogue_of_version(version)
    if catalogue is None:
        abort(404)
    return render_template(
        "catalogue/changes.html", catalogue=catalogue, changes=_against_previous(catalogue)
    )


@bp.get("/versions/<version>.yaml")
@office_only
def download(version: str):
    """The version's text exactly as stored (and as rounds using it read it), to start the
    next version from."""
    catalogue = versions.catalogue_of_version(version)
    if catalogue is None:
        abort(404)
    response = Response(catalogue.text, mimetype="application/yaml")
    response.headers["Content-Disposition"] = f'attachment; filename="{version}.yaml"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/versions/new", methods=["GET", "POST"])
@accepts_uploads
@office_only
def new():
    form = UploadVersionForm()
    if form.validate_on_submit():
        data = form.read(versions.MAX_UPLOAD_BYTES)
        try:
            catalogue = versions.check_upload(data, form.file.data.filename or "")
        except versions.UploadRefusedError as error:
            form.file.errors = [_refusal_text(item) for item in error.refusals]
        else:
            return _preview(catalogue)
    return render_template("catalogue/upload.html", form=form)


@bp.post("/versions/confirm")
@accepts_uploads  # carries the file's text back
@office_only
def confirm():
    form = ConfirmVersionForm()
    text = form.text() if form.validate_on_submit() else None
    upload = UploadVersionForm(formdata=None)
    if text is None:
        upload.file.errors = [_("Bitte laden Sie die Datei noch einmal hoch.")]
        return render_template("catalogue/upload.html", form=upload)
    try:
        catalogue = versions.check_text(text, versions.safe_name(form.file_name.data or ""))
        with transaction():
            versions.add_version(catalogue, current_user)
    except versions.UploadRefusedError as error:
        upload.file.errors = [_refusal_text(item) for item in error.refusals]
        return render_template("catalogue/upload.html", form=upload)
    except ConflictError:
        upload.file.errors = [_("Diese Fassung wurde gerade von jemand anderem hinzugefügt.")]
        return render_template("catalogue/upload.html", form=upload)
    flash(
        _(
            "Die Fassung %(version)s ist hinzugefügt. Neue Vergaberunden können sie jetzt nutzen.",
            version=catalogue.version,
        ),
        "success",
    )
    return redirect(url_for(".index"))


def _preview(catalogue: Catalogue):
    form = ConfirmVersionForm(formdata=None)
    form.fill(catalogue.text, catalogue.source_name)
    return render_template(
        "catalogue/preview.html",
        catalogue=catalogue,
        changes=_against_previous(catalogue),
        form=form,
    )


def _against_previous(catalogue: Catalogue) -> CatalogueDiff | None:
    """The changes from the version before ``catalogue`` (None for the first version)."""
    previous = versions.previous_version(catalogue.version)
    old = versions.catalogue_of_version(previous) if previous else None
    return diff(old, catalogue) if old else None


def _refusal_text(refusal: versions.Refusal) -> str:
    if refusal.line is None:
        return refusal.message
    return _("Zeile %(line)d: %(message)s", line=refusal.line, message=refusal.message)
