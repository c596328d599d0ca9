"""The office prints a whole round: start a job, watch its progress, download PDF and ZIP."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.certificates import printing
from seal_app.certificates.forms import PrintForm
from seal_app.certificates.models import PrintJob, PrintKind, PrintState
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.rounds.models import Round
from seal_app.tasks import enqueue
from seal_app.views import get_or_404

bp = Blueprint("printing", __name__)
office_only = roles_required(Role.OFFICE)
REFRESH_SECONDS = 5
WAITING_HINT_AFTER = timedelta(minutes=1)  # then the page asks whether the worker runs


@bp.post("/office/rounds/<int:round_id>/print")
@office_only
def start(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = PrintForm()
    back = url_for("decisions.round_decisions", round_id=round_.id, _anchor="print-title")
    if not form.validate_on_submit():
        flash(_("Bitte wählen Sie auf dieser Seite, was gedruckt werden soll."), "danger")
        return redirect(back)
    try:
        with transaction():
            job, created = printing.start(round_, PrintKind(form.kind.data), current_user, utcnow())
    except printing.PrintError as error:
        flash(str(error), "danger")
        return redirect(back)
    except ConflictError:  # started at the same moment from elsewhere: show that one
        with transaction():
            job = printing.live_job(round_.id, PrintKind(form.kind.data), utcnow())
        created = False
        if job is None:
            flash(_("Der Druck wurde gerade schon gestartet. Bitte sehen Sie nach."), "warning")
            return redirect(back)
    if created:
        enqueue(printing.print_round, job.id)
    else:
        flash(_("Dieser Druck läuft schon; hier sehen Sie, wie weit er ist."), "info")
    return redirect(url_for("printing.job", job_id=job.id))


@bp.get("/office/print-jobs/<int:job_id>")
@office_only
def job(job_id: int):
    print_job = get_or_404(PrintJob, job_id)
    with transaction():
        printing.give_up_if_stalled(print_job, utcnow())
    refresh = not print_job.state.finished and request.args.get("aktualisieren") != "aus"
    newest = None
    if print_job.state is PrintState.REPLACED:
        newest = printing.latest_job(print_job.round_id, print_job.kind)
    response = make_response(
        render_template(
            "certificates/print_job.html",
            job=print_job,
            refresh=refresh,
            refresh_seconds=REFRESH_SECONDS,
            done=print_job.state is PrintState.DONE,
            revoked=printing.revoked_since(print_job),
            newest=newest,
            waiting_long=print_job.state is PrintState.QUEUED
            and utcnow() - print_job.requested_at > WAITING_HINT_AFTER,
        )
    )
    if refresh:
        # The browser reloads the page by itself, without JavaScript (the HTTP form of
        # <meta http-equiv="refresh">). The page's first link turns it off (WCAG 2.2.1), and
        # it ends when the job does.
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/office/print-jobs/<int:job_id>/download.<any(pdf, zip):suffix>")
@office_only
def download(job_id: int, suffix: str):
    print_job = get_or_404(PrintJob, job_id)
    if print_job.state is not PrintState.DONE:
        abort(404)
    path = printing.pdf_path(print_job) if suffix == "pdf" else printing.zip_path(print_job)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf" if suffix == "pdf" else "application/zip",
        as_attachment=True,
        download_name=printing.download_name(print_job, suffix),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
