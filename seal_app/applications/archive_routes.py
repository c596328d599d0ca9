"""All evidence of an application as one ZIP: made at once when small, by the task queue when
large (a page to ask for it, its progress, the download for the person who asked).

Who may download is who may see the evidence one by one (``access.viewable_application``):
the office, the school's own staff, an assigned assessor without a conflict of interest;
anyone else gets 404. Like the single downloads, each is written to the access log.
"""

from __future__ import annotations

import tempfile

from flask import (
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

from seal_app.applications import access, archive_jobs, evidence_archive
from seal_app.applications.archive_models import EvidenceArchive
from seal_app.applications.blueprint import bp
from seal_app.applications.models import Application
from seal_app.auth.decorators import login_required
from seal_app.auth.models import Role
from seal_app.database import transaction
from seal_app.db_types import utcnow
from seal_app.forms import BaseForm
from seal_app.tasks import enqueue

REFRESH_SECONDS = 5


@bp.get("/<int:application_id>/evidence.zip")
@login_required
def evidence_zip(application_id: int):
    """The archive at once; a large one is asked for on its own page instead."""
    application = access.viewable_application(application_id)
    if not evidence_archive.streams_directly(application):
        return redirect(url_for(".evidence_archive_page", application_id=application.id))
    archive_jobs.folder().mkdir(parents=True, exist_ok=True)
    # on the instance's disk, not in /tmp, which may be memory (tmpfs)
    # the response closes it once sent (and the system removes it then)
    handle = tempfile.TemporaryFile(dir=archive_jobs.folder())  # noqa: SIM115
    try:
        evidence_archive.write(application, handle)
        handle.seek(0)
    except Exception:
        handle.close()
        raise
    return _attachment(handle, evidence_archive.archive_name(application))


@bp.get("/<int:application_id>/evidence-zip")
@login_required
def evidence_archive_page(application_id: int):
    application = access.viewable_application(application_id)
    latest = archive_jobs.latest_of(application, current_user)
    if latest is not None and not latest.state.finished:
        return redirect(_job_url(latest))
    count, size = evidence_archive.totals(application)
    return render_template(
        "applications/evidence_archive.html",
        application=application,
        count=count,
        size=size,
        latest=latest if latest and archive_jobs.downloadable(latest, utcnow()) else None,
        form=BaseForm(),
        back=_back(application),
    )


@bp.post("/<int:application_id>/evidence-zip")
@login_required
def start_evidence_archive(application_id: int):
    application = access.viewable_application(application_id)
    if not BaseForm().validate_on_submit():
        flash(_("Bitte starten Sie die Zusammenstellung mit der Schaltfläche auf dieser Seite."))
        return redirect(url_for(".evidence_archive_page", application_id=application.id))
    with transaction():
        archive, created = archive_jobs.start(application, current_user, utcnow())
    if created:
        enqueue(archive_jobs.build_archive, archive.id)
    else:
        flash(_("Dieses ZIP-Archiv wird schon erstellt; hier sehen Sie, wie weit es ist."), "info")
    return redirect(_job_url(archive))


@bp.get("/<int:application_id>/evidence-zip/<int:archive_id>")
@login_required
def evidence_archive_job(application_id: int, archive_id: int):
    application = access.viewable_application(application_id)
    archive = _own(application, archive_id)
    with transaction():
        archive_jobs.give_up_if_stalled(archive, utcnow())
    refresh = not archive.state.finished and request.args.get("aktualisieren") != "aus"
    response = make_response(
        render_template(
            "applications/evidence_archive_job.html",
            application=application,
            archive=archive,
            refresh=refresh,
            refresh_seconds=REFRESH_SECONDS,
            ready=archive_jobs.downloadable(archive, utcnow()),
            expires_at=archive_jobs.expires_at(archive),
            back=_back(application),
        )
    )
    if refresh:
        # The browser reloads the page by itself, without JavaScript; the page's first link
        # turns it off (WCAG 2.2.1), and it ends when the archive is finished.
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:application_id>/evidence-zip/<int:archive_id>/download")
@login_required
def evidence_archive_download(application_id: int, archive_id: int):
    application = access.viewable_application(application_id)
    archive = _own(application, archive_id)
    if not archive_jobs.downloadable(archive, utcnow()):
        abort(404)
    handle = archive_jobs.zip_path(archive).open("rb")
    return _attachment(handle, evidence_archive.archive_name(application))


def _own(application: Application, archive_id: int) -> EvidenceArchive:
    """Only the person who asked for an archive sees it; anyone else gets 404."""
    archive = archive_jobs.own_archive(application, archive_id, current_user)
    if archive is None:
        abort(404)
    return archive


def _attachment(handle, name: str):
    response = send_file(
        handle, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _job_url(archive: EvidenceArchive) -> str:
    return url_for(
        ".evidence_archive_job", application_id=archive.application_id, archive_id=archive.id
    )


def _back(application: Application) -> str:
    """Where the person came from: the assessor's scoring page, the office's application
    page, or the application itself."""
    assignment = access.cleared_assignment(current_user, application.id)
    if assignment is not None:
        return url_for("reviews.overview", assignment_id=assignment.id)
    if current_user.role is Role.OFFICE:
        return url_for("review_office.application", application_id=application.id)
    return url_for(".overview", application_id=application.id)
