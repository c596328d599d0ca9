"""Public pages, no login: the verification of a certificate by its number (what the QR code
opens), with a check of a dropped PDF, and the list of schools holding a valid seal (page,
CSV and JSON). They show no personal data."""

from __future__ import annotations

import csv
import io
import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from seal_app.certificates import (  # timestamp_retry: marks its periodic task
    issuing,
    sealed,
    timestamp_retry,  # noqa: F401
    verification,
)
from seal_app.certificates.forms import NumberForm, VerifyFileForm
from seal_app.config import MEGABYTE
from seal_app.extensions import limiter
from seal_app.local_time import local_today
from seal_app.security import accepts_uploads

bp = Blueprint("public_seals", __name__)


def _verify_limit() -> str:
    return current_app.config["VERIFY_LIMIT_PER_ADDRESS"]


@bp.get("/verify")
@limiter.limit(_verify_limit)
def verify_start():
    """Where a certificate's number can be typed (for a certificate without its QR code)."""
    form = NumberForm(formdata=request.args if "nummer" in request.args else None)
    if "nummer" in request.args and form.validate():
        return redirect(url_for(".verify", number=issuing.number_to_show(form.nummer.data)))
    return render_template("certificates/verify_start.html", form=form)


@bp.route("/verify/<path:number>", methods=["GET", "POST"])  # „GS-2013/07“ from the paper era
@accepts_uploads
@limiter.limit(_verify_limit)
def verify(number: str):
    certificate = issuing.by_number(number)
    if certificate is None and (found := issuing.find_by_number(number)) is not None:
        return redirect(url_for(".verify", number=found.number))  # „gs-2013/07 “
    canonical = issuing.canonical_number(number)
    if certificate is None and canonical is not None and canonical != number:  # „2027 14“
        return redirect(url_for(".verify", number=canonical))
    if certificate is None:
        page = render_template("certificates/verify_unknown.html", number=number[:40])
        return page, 404
    limit = current_app.config["VERIFY_UPLOAD_MAX_BYTES"]
    if request.content_length and request.content_length > limit + MEGABYTE:
        abort(413)  # one file of at most the limit: nothing larger is read
    form = VerifyFileForm()
    result = None
    if not certificate.imported and form.validate_on_submit():
        data = form.read(current_app.config["VERIFY_UPLOAD_MAX_BYTES"])
        if data is not None:
            result = verification.check_file(data, expected=certificate)
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        application=certificate.application,
        state=certificate.state_on(local_today()),
        form=form,
        result=result,
        signature=None if certificate.imported else verification.stored_signature(certificate),
    )


@bp.get("/siegelschulen")
def sealed_schools():
    filters = sealed.Filters.from_args(request.args)
    return render_template(
        "certificates/sealed_schools.html",
        rows=sealed.rows(filters, local_today()),
        filters=filters,
        types=sealed.school_types(),
        places=sealed.places(local_today()),
    )


@bp.get("/siegelschulen.csv")
def sealed_schools_csv():
    rows = sealed.rows(sealed.Filters.from_args(request.args), local_today())
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(sealed.CSV_HEADER)
    for row in rows:
        writer.writerow(sealed.csv_values(row))
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="siegelschulen.csv"'
    return response


@bp.get("/siegelschulen.json")
def sealed_schools_json():
    rows = sealed.rows(sealed.Filters.from_args(request.args), local_today())
    body = {
        "title": _("Schulen mit dem Gütesiegel „Sicherheit macht Schule“"),
        "as_of": local_today().isoformat(),
        "schools": [sealed.json_value(row) for row in rows],
    }
    return Response(json.dumps(body, ensure_ascii=False, indent=2), mimetype="application/json")


@bp.get("/siegelschulen.pdf")
def sealed_schools_pdf():
    filters = sealed.Filters.from_args(request.args)
    rows = sealed.rows(filters, local_today())
    response = Response(sealed.notice_pdf(rows, filters, local_today()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="siegelschulen.pdf"'
    return response
