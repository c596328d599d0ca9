"""The on-site visit (planned by the office, protocols by the visiting assessors) and the
jury's meeting (consensus) with its chart."""

from __future__ import annotations

from fractions import Fraction

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from seal_app.applications import access
from seal_app.applications import services as application_services
from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.catalogue.model import Catalogue
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.formatting import two_decimals
from seal_app.local_time import local_today
from seal_app.reviews import chart, consensus, visits
from seal_app.reviews.jury_forms import (
    NOTE_LIMIT,
    CancelVisitForm,
    JuryLevelForm,
    ProtocolForm,
    VisitForm,
    scale_choices,
)
from seal_app.reviews.models import Assignment, ConflictState, Visit
from seal_app.reviews.submission import all_reviews_in, is_submitted
from seal_app.views import get_or_404, save_versioned

bp = Blueprint("jury", __name__)
office_only = roles_required(Role.OFFICE)
assessor_only = roles_required(Role.ASSESSOR)


# The chart is a picture: nothing in it may load or run anything.
@bp.app_template_global()
def planned_visit(application: Application) -> Visit | None:
    """The visit planned for an application, for the school's pages."""
    return visits.visit_of(application.id)


@bp.app_template_global()
def own_assignment(application: Application) -> Assignment | None:
    """The current assessor's cleared assignment to the application, for links back to it."""
    return access.cleared_assignment(current_user, application.id)


@bp.app_template_filter("level_mean")
def level_mean(value: Fraction | float | None) -> str:
    """A mean level as people read it, always two places: „2,50“, „2,33“, „–“ without any."""
    return two_decimals(value)


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
            flash(
                _("Der Besuch ist geplant. Die Schule sieht den Termin auf ihrer Seite."), "success"
            )
            return redirect(url_for("jury.plan_visit", application_id=application.id))
    return render_template(
        "reviews/visit_plan.html",
        application=application,
        visit=visit,
        assessors=assessors,
        form=form,
        cancel_form=cancel_form,
        stale=stale,
    )


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
            visits.cancel_visit(visit, form.version.data, current_user)
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


# The jury's meeting --------------------------------------------------------------------------


def _meeting(application_id: int) -> tuple[Application, bool]:
    """The application and whether all reviews are in. The office always; an assessor only
    with a cleared assignment, their own review submitted and all others in (independence);
    anyone else 404."""
    application = get_or_404(Application, application_id)
    complete = all_reviews_in(application)
    if current_user.role is Role.OFFICE:
        return application, complete
    own = next(
        (
            item
            for item in consensus.assignments_for(application.id)
            if item.assessor_id == current_user.id
        ),
        None,
    )
    if own is None or own.conflict_state is not ConflictState.NONE:
        abort(404)
    if not (is_submitted(own) and complete):
        abort(404)
    return application, complete


@bp.route(
    "/applications/<int:application_id>/consensus", methods=["GET", "POST"], endpoint="consensus"
)
@roles_required(Role.OFFICE, Role.ASSESSOR)
def consensus_page(application_id: int):
    application, complete = _meeting(application_id)
    if not complete:
        return render_template(
            "reviews/consensus_waiting.html",
            application=application,
            missing=consensus.missing_reviews(application),
        )
    catalogue = application_services.catalogue_of(application)
    meeting = consensus.consensus_of(application, catalogue)
    forms = {}
    stale = {}
    if request.method == "POST":
        if current_user.role is not Role.OFFICE:
            abort(403)
        if request.form.get("action") == "adopt":
            return _adopt(application, catalogue)
        code = request.form.get("criterion", "")
        form = _level_form(meeting, code) or abort(404)
        forms[code] = form
        saved, latest = _save_level(application, catalogue, code, form, meeting)
        if saved:
            flash(_("Die Stufe für %(code)s ist gespeichert.", code=code), "success")
            return redirect(
                url_for("jury.consensus", application_id=application.id, _anchor=f"row-{code}")
            )
        if latest is not None:
            stale[code] = latest
    return render_template(
        "reviews/consensus.html",
        application=application,
        meeting=meeting,
        forms=forms,
        stale=stale,
        scale=scale_choices(catalogue),
        note_limit=NOTE_LIMIT,
        chart_size=chart.size(len(catalogue.areas)),
    )


def _adopt(application: Application, catalogue: Catalogue):
    """Take over the rounded mean for every criterion without an agreed level, in one go."""
    try:
        with transaction():
            count = consensus.adopt_proposals(
                application, catalogue, request.form.getlist("code"), current_user
            )
    except consensus.ConsensusError as error:
        flash(str(error), "danger")
    except ConflictError:
        flash(
            _(
                "Inzwischen hat jemand anderes Stufen gespeichert. Es wurde nichts übernommen. "
                "Bitte prüfen Sie die Vorschläge noch einmal."
            ),
            "warning",
        )
    else:
        if not count:
            flash(_("Es gibt keinen Vorschlag mehr zu übernehmen."), "info")
            return redirect(url_for("jury.consensus", application_id=application.id))
        flash(
            ngettext(
                "Der gerundete Mittelwert ist für %(num)d Kriterium als vereinbarte Stufe "
                "gespeichert.",
                "Die gerundeten Mittelwerte sind für %(num)d Kriterien als vereinbarte Stufen "
                "gespeichert.",
                count,
            ),
            "success",
        )
    return redirect(
        url_for("jury.consensus", application_id=application.id, _anchor="proposal-title")
    )


def _level_form(meeting: consensus.Consensus, code: str) -> JuryLevelForm | None:
    """The form of the criterion that was sent, reading the request; None for an unknown code.
    The other rows need no form: the template writes their fields from the rows."""
    row = meeting.row(code)
    if row is None:
        return None
    data = {
        "level": str(row.level) if row.level is not None else "",
        "note": row.agreed.note if row.agreed else "",
        "version": row.agreed.version if row.agreed else None,
    }
    form = JuryLevelForm(prefix="level-" + code.replace(".", "-"), data=data)
    form.use_scale(meeting.catalogue)
    form.level.label.text = _("Vereinbarte Stufe für %(code)s", code=code)
    form.note.label.text = _("Begründung zu %(code)s", code=code)
    return form


def _save_level(application, catalogue, code: str, form: JuryLevelForm, meeting):
    if not form.validate_on_submit():
        return False, None

    def save() -> None:
        consensus.save_jury_level(
            application,
            catalogue,
            code,
            form.chosen_level(),
            form.note.data or "",
            form.version.data,
            current_user,
        )

    try:
        return save_versioned(form, save, lambda: consensus.jury_level(application.id, code))
    except consensus.ConsensusError as error:
        form.note.errors = [*form.note.errors, str(error)]
        return False, None


@bp.get("/applications/<int:application_id>/consensus/chart.svg")
@roles_required(Role.OFFICE, Role.ASSESSOR)
def consensus_chart(application_id: int):
    application, complete = _meeting(application_id)
    if not complete:
        abort(404)
    catalogue = application_services.catalogue_of(application)
    meeting = consensus.consensus_of(application, catalogue)
    return chart.svg_response(
        consensus_drawing(meeting),
        _("Mittlere Stufe der Gutachten je Bereich"),
        _("Balkendiagramm; die Zahlen stehen auch in der Tabelle daneben."),
    )


def consensus_drawing(meeting: consensus.Consensus):
    top = meeting.catalogue.top_level
    return chart.area_chart(
        [(item.area.code, item.mean) for item in meeting.area_means],
        top,
        _("Mittlere Stufe (0 bis %(top)d)", top=top),
        number=level_mean,
    )
