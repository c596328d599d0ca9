"""The office's exports page and its four downloads. A form that fails shows the page again
with its errors and what was typed; nothing is written then."""

from __future__ import annotations

from tempfile import SpooledTemporaryFile

import sqlalchemy as sa
from flask import Blueprint, Response, render_template, request, send_file

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.config import MEGABYTE
from seal_app.exports import tables, writers
from seal_app.exports.forms import CSV, AuditExportForm, ExportForm, RoundExportForm
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.rounds.models import Round
from seal_app.twofactor.reauth import recent_authentication_required
from seal_app.views import get_or_404

bp = Blueprint("exports", __name__, url_prefix="/office/exports")
office_only = roles_required(Role.OFFICE)

IN_MEMORY_UP_TO = 8 * MEGABYTE  # a larger file is written to a temporary file on disk


def _forms(submitted: str | None = None) -> dict[str, ExportForm]:
    """The page's forms; the one ``submitted`` reads the query string, the others are new."""

    def data(name: str):
        return request.args if name == submitted else None

    forms: dict[str, ExportForm] = {
        "applications": RoundExportForm(formdata=data("applications"), prefix="antraege"),
        "schools": ExportForm(formdata=data("schools"), prefix="schulen"),
        "sealed": ExportForm(formdata=data("sealed"), prefix="siegel"),
        "audit": AuditExportForm(formdata=data("audit"), prefix="log"),
    }
    rounds = db.session.execute(sa.select(Round.id, Round.title).order_by(Round.year.desc()))
    forms["applications"].fill_choices([(id_, title) for id_, title in rounds])
    return forms


def _page(forms: dict[str, ExportForm]) -> str:
    return render_template("exports/index.html", forms=forms)


def _download(table: tables.Table, file_format: str, stem: str) -> Response:
    """The table written completely into a spooled file first: the download starts only once
    the file is whole."""
    buffer = SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)  # noqa: SIM115  (closed once sent)
    try:
        if file_format == CSV:
            writers.write_csv(table, buffer)
            media_type = writers.CSV_MEDIA_TYPE
        else:
            writers.write_xlsx(table, buffer)
            media_type = writers.XLSX_MEDIA_TYPE
    except BaseException:
        buffer.close()
        raise
    buffer.seek(0)
    response = send_file(
        buffer, mimetype=media_type, as_attachment=True, download_name=f"{stem}.{file_format}"
    )
    response.headers["Cache-Control"] = "no-store"  # personal data: not kept by caches
    return response


@bp.get("")
@office_only
def index():
    return _page(_forms())


@bp.get("/applications")
@office_only
@recent_authentication_required
def applications():
    forms = _forms("applications")
    form = forms["applications"]
    if not form.validate():
        return _page(forms)
    round_ = get_or_404(Round, form.chosen_round_id())
    table = tables.applications(round_)
    return _download(table, form.file_format.data, f"antraege-{round_.year}")


@bp.get("/schools")
@office_only
def schools():
    forms = _forms("schools")
    form = forms["schools"]
    if not form.validate():
        return _page(forms)
    return _download(tables.schools(), form.file_format.data, f"schulen-{local_today()}")


@bp.get("/sealed")
@office_only
def sealed():
    forms = _forms("sealed")
    form = forms["sealed"]
    if not form.validate():
        return _page(forms)
    today = local_today()
    return _download(tables.sealed_schools(today), form.file_format.data, f"siegelschulen-{today}")


@bp.get("/audit")
@office_only
@recent_authentication_required
def audit():
    forms = _forms("audit")
    form = forms["audit"]
    if not form.validate():
        return _page(forms)
    first, last = form.date_from.data, form.date_to.data
    table = tables.audit_log(first, last)
    return _download(table, form.file_format.data, f"protokoll-{first}-bis-{last}")
