"""The office's import of paper-era seals: upload a CSV, read the preview, import, read the
result."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.certificates import paper_csv, paper_import, paper_pending
from seal_app.certificates.models import Certificate
from seal_app.certificates.paper_forms import ConfirmImportForm, SealFileForm
from seal_app.certificates.paper_models import PendingSealImport
from seal_app.database import ConflictError, transaction
from seal_app.local_time import local_today
from seal_app.schools.models import School
from seal_app.security import accepts_uploads

bp = Blueprint("paper_seals", __name__, url_prefix="/office/certificates/import")
office_only = roles_required(Role.OFFICE)


@bp.route("", methods=["GET", "POST"])
@accepts_uploads
@office_only
def upload():
    form = SealFileForm()
    if form.validate_on_submit():
        sent = form.read()
        problems = paper_csv.read(sent[1], local_today()).problems if sent else []
        if problems:
            form.file.errors = problems
        elif sent is not None:
            with transaction():
                pending = paper_pending.keep(current_user, *sent)
            return redirect(url_for(".preview", token=pending.token))
    return render_template("certificates/paper_upload.html", form=form)


@bp.route("/<token>", methods=["GET", "POST"])
@office_only
def preview(token: str):
    """The preview of the kept file; „Importieren“ imports its accepted rows, and the page then
    shows the import's result."""
    pending = paper_pending.find(current_user, token)
    if pending is None:
        flash(
            _("Die Vorschau ist abgelaufen. Bitte laden Sie die Datei noch einmal hoch."), "warning"
        )
        return redirect(url_for(".upload"))
    if pending.imported_at is not None:
        return _result(pending)
    form = ConfirmImportForm()
    if form.validate_on_submit():
        try:
            with transaction():
                result = paper_import.import_seals(
                    pending.data, pending.file_name, current_user, local_today()
                )
                numbers = [item.row.number for item in result.accepted]
                paper_pending.mark_imported(pending, numbers)
        except ConflictError:
            flash(
                _(
                    "Gleichzeitig wurden andere Urkunden gespeichert; es wurde nichts importiert. "
                    "Bitte prüfen Sie die Vorschau noch einmal."
                ),
                "danger",
            )
        return redirect(url_for(".preview", token=token))
    return render_template(
        "certificates/paper_preview.html",
        form=form,
        file_name=pending.file_name,
        preview=paper_import.preview(pending.data, local_today()),
    )


def _result(pending: PendingSealImport):
    """The result page (a repeated „Importieren“ lands here too and imports nothing)."""
    if request.method == "POST":
        return redirect(url_for(".preview", token=pending.token))
    result = paper_import.result_of(pending.data, pending.imported_numbers, local_today())
    return render_template(
        "certificates/paper_result.html",
        file_name=pending.file_name,
        imported_at=pending.imported_at,
        result=result,
        summary=_summary(result),
    )


def _summary(result: paper_import.ImportResult) -> str:
    if not result.imported and not result.refused:
        return _("Nichts importiert: Alle Urkunden der Datei gibt es schon.")
    parts = [
        ngettext(
            "%(num)d Urkunde importiert.", "%(num)d Urkunden importiert.", len(result.imported)
        )
    ]
    if result.skipped:
        parts.append(
            ngettext(
                "%(num)d Zeile übersprungen (schon importiert).",
                "%(num)d Zeilen übersprungen (schon importiert).",
                len(result.skipped),
            )
        )
    if result.refused:
        parts.append(
            ngettext(
                "%(num)d Zeile abgelehnt (nicht importiert).",
                "%(num)d Zeilen abgelehnt (nicht importiert).",
                len(result.refused),
            )
        )
    return " ".join(parts)


@bp.app_template_global()
def paper_seals_of(school: School) -> list[Certificate]:
    """The school's certificates imported from the paper era, newest first."""
    return paper_import.imported_of(school.id)


@bp.app_template_global()
def previous_seal(application: Application) -> Certificate | None:
    """The seal a renewal renews, for the application's start page."""
    return paper_import.previous_seal(application)
