"""The on-site visit: planned, moved or cancelled by the office; protocols written by the
visiting assessors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications import services as application_services
from seal_app.applications.models import Application
from seal_app.catalogue.model import Catalogue
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.local_time import local_today
from seal_app.reviews import visits
from seal_app.reviews.jury_blueprint import assessor_only, bp, office_only
from seal_app.reviews.jury_forms import (
    CancelVisitForm,
    ProtocolForm,
    VisitForm,
)
from seal_app.reviews.models import Assignment, ConflictState, Visit
from seal_app.reviews.submission import is_submitted
from seal_app.views import get_or_404, save_versioned

# On-site visit: planning ---------------------------------------------------------------------


@bp.route("/office/applications/<int:application_id>/visit", methods=["GET", "POST"])
@office_only
def plan_visit(application_id: int):
    application = get_or_404(Application, application_id)
    visit = visits.visit_of(application.id)
    assessors = visits.cleared_assignments(application.id)
    form = VisitForm(data=_visit_data(visit))
    form.use_assessors(assessors)
    cancel_form = CancelVisitForm(
        prefix="cancel", data={"version": visit.version if visit else None}
    )
    stale = None
    if request.method == "POST" and request.form.get("action") == "cancel":
        return _cancel(application, visit, cancel_form)
    if request.method == "POST" and form.validate_on_submit():
        saved, stale = _save_visit(application, form)
        if saved:
            flash(_saved_message(application), "success")
            return redirect(url_for("jury.plan_visit", application_id=application.id))
    return render_template(
        "reviews/visit_plan.html",
        application=application,
        visit=visit,
        assessors=assessors,
        form=form,
        cancel_form=cancel_form,
        stale=stale,
        took_place=visit is not None and visits.took_place(visit, utcnow()),
        recorded=visit is not None and visits.has_additions_or_photos(visit),
    )


def _saved_message(application: Application) -> str:
    visit = visits.visit_of(application.id)
    if visit is not None and visits.took_place(visit, utcnow()):
        return _(
            "Der Besuch ist eingetragen. Niemand wurde eingeladen. Die Gutachtenden können jetzt "
            "ihr Protokoll schreiben; wer das Gutachten schon abgegeben hat, fügt dem Protokoll "
            "Ergänzungen an."
        )
    return _("Der Besuch ist geplant. Die Schule sieht den Termin auf ihrer Seite.")


def _visit_data(visit: Visit | None) -> dict:
    if visit is None:
        return {"version": None}
    local = visit.starts_at.astimezone(visits.local_zone())
    return {
        "on": local.date(),
        "at": local.time().replace(tzinfo=None),
        "note": visit.note,
        "visitors": [str(item.assignment_id) for item in visit.participants],
        "version": visit.version,
    }


def _save_visit(application: Application, form: VisitForm):
    plan = visits.VisitPlan(
        on=form.on.data,
        at=form.at.data,
        note=form.note.data or "",
        assignment_ids=form.visitor_ids(),
    )

    def save() -> None:
        try:
            visits.plan_visit(application, plan, form.version.data, current_user, utcnow())
        except visits.VisitError as error:
            target = form[error.field] if error.field else form.visitors
            target.errors = [*target.errors, str(error)]
            raise

    try:
        return save_versioned(form, save, lambda: visits.visit_of(application.id))
    except visits.VisitError:
        return False, None


def _cancel(application: Application, visit: Visit | None, form: CancelVisitForm):
    if visit is None:
        flash(_("Es ist kein Besuch geplant."), "info")
        return redirect(url_for("jury.plan_visit", application_id=application.id))
    try:
        with transaction():
            visits.cancel_visit(visit, form.version.data, current_user, utcnow())
    except visits.VisitError as error:
        flash(str(error), "danger")
    except ConflictError:
        flash(
            _("Jemand anderes hat den Besuch inzwischen geändert. Bitte prüfen Sie die Angaben."),
            "warning",
        )
    else:
        flash(_("Der Besuch ist abgesagt."), "success")
    return redirect(url_for("jury.plan_visit", application_id=application.id))


# On-site visit: protocols --------------------------------------------------------------------


def _visiting(assignment_id: int) -> tuple[Assignment, Visit, Catalogue]:
    """The current assessor's own cleared assignment and its visit; 404 for anyone else."""
    assignment = get_or_404(Assignment, assignment_id)
    if (
        assignment.assessor_id != current_user.id
        or assignment.conflict_state is not ConflictState.NONE
    ):
        abort(404)
    visit = visits.visit_for_assessor(assignment)
    if visit is None:
        abort(404)
    return assignment, visit, application_services.catalogue_of(assignment.application)


@bp.get("/review/<int:assignment_id>/visit")
@assessor_only
def visit_protocols(assignment_id: int):
    assignment, visit, catalogue = _visiting(assignment_id)
    return render_template(
        "reviews/visit_protocols.html",
        assignment=assignment,
        application=assignment.application,
        visit=visit,
        catalogue=catalogue,
        protocols=visits.protocols_of(visit, assignment.id),
        read_only=is_submitted(assignment),
        too_early=_too_early(visit),
    )


@bp.route("/review/<int:assignment_id>/visit/<area_code>", methods=["GET", "POST"])
@assessor_only
def visit_protocol(assignment_id: int, area_code: str):
    assignment, visit, catalogue = _visiting(assignment_id)
    area = visits.area_of(catalogue, area_code) or abort(404)
    protocol = visits.protocol_of(visit, assignment.id, area.code)
    form = ProtocolForm(obj=protocol)
    read_only = is_submitted(assignment)
    stale = None
    too_early = _too_early(visit)
    if request.method == "POST" and read_only:
        flash(_("Ihr Gutachten ist eingereicht; das Protokoll kann nicht mehr geändert werden."))
    elif request.method == "POST" and form.validate_on_submit():
        saved, stale = _save_protocol(visit, assignment, catalogue, area.code, form)
        if saved:
            flash(
                _("Das Protokoll zu Bereich %(code)s ist gespeichert.", code=area.code), "success"
            )
            return redirect(_after_protocol(assignment, catalogue, area.code))
    return render_template(
        "reviews/visit_protocol.html",
        assignment=assignment,
        application=assignment.application,
        visit=visit,
        area=area,
        form=form,
        stale=stale,
        read_only=read_only,
        # before the visit day the page says when to write; a form sent anyway is kept
        too_early=too_early if request.method == "GET" else None,
        protocol=protocol,
        next_area=_next_area(catalogue, area.code),
    )


def _too_early(visit: Visit) -> str | None:
    """The message for a protocol before the visit day; None from that day on."""
    if visits.protocols_open(visit, local_today()):
        return None
    return visits.too_early_message(visit)


def _save_protocol(visit, assignment, catalogue, area_code: str, form: ProtocolForm):
    def save() -> None:
        visits.save_protocol(
            visit,
            assignment,
            catalogue,
            area_code,
            form.values(),
            form.version.data,
            current_user,
            local_today(),
        )

    try:
        return save_versioned(
            form, save, lambda: visits.protocol_of(visit, assignment.id, area_code)
        )
    except visits.VisitError as error:
        flash(str(error), "danger")
        return False, None


def _next_area(catalogue: Catalogue, code: str) -> str | None:
    codes = [area.code for area in catalogue.areas]
    index = codes.index(code)
    return codes[index + 1] if index + 1 < len(codes) else None


def _after_protocol(assignment: Assignment, catalogue: Catalogue, code: str) -> str:
    next_area = _next_area(catalogue, code)
    if request.form.get("action") == "next" and next_area:
        return url_for("jury.visit_protocol", assignment_id=assignment.id, area_code=next_area)
    return url_for("jury.visit_protocols", assignment_id=assignment.id)
