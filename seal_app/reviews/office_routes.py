"""The office's pages for the review: a round's assignments, one application, unassigning."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from seal_app.applications.models import Application
from seal_app.applications.services import catalogue_of
from seal_app.audit import log
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.database import ConflictError, transaction
from seal_app.local_time import local_today
from seal_app.reviews import application_log, assignment_board, round_conflicts
from seal_app.reviews import assignment as assignments
from seal_app.reviews.assignment import AssignmentError
from seal_app.reviews.assignment_board import Board
from seal_app.reviews.models import Assignment
from seal_app.reviews.office_forms import AssignForm, DueDateForm, ProposalForm
from seal_app.rounds.models import Round
from seal_app.views import get_or_404

bp = Blueprint("review_office", __name__, url_prefix="/office")
office_only = roles_required(Role.OFFICE)
BACK_TO_ROUND = "round"

CHANGED_MEANWHILE = _l(
    "Inzwischen hat jemand anderes Zuweisungen geändert. Es wurde nichts gespeichert. "
    "Bitte prüfen Sie die Zuweisungen noch einmal."
)


def _per_application() -> int:
    return int(current_app.config["ASSESSORS_PER_APPLICATION"])


def _default_due(round_: Round):
    days = int(current_app.config["REVIEW_DUE_DAYS"])
    return assignments.default_due_date(round_, local_today(), days)


# --- a round's assignments ---------------------------------------------------------------


@bp.get("/rounds/<int:round_id>/assignments")
@office_only
def round_assignments(round_id: int):
    return _render_round(get_or_404(Round, round_id))


def _render_round(round_: Round, failed: tuple[int, AssignForm] | None = None):
    current = assignment_board.board(round_)
    forms = {
        application.id: _assign_form(current, application, round_)
        for application in current.applications
    }
    if failed is not None and failed[0] in forms:
        application_id, failed_form = failed
        application = next(item for item in current.applications if item.id == application_id)
        failed_form.fill_choices(
            current.assessors_for(application), current.conflicted_ids(application)
        )
        forms[application_id] = failed_form
    return render_template(
        "reviews/office_round.html",
        board=current,
        forms=forms,
        per_application=_per_application(),
        missing=sum(
            1
            for application in current.applications
            if current.cleared_count(application) < _per_application()
        ),
        declarations=round_conflicts.board_declarations(round_),
    )


def _assign_form(current: Board, application: Application, round_: Round) -> AssignForm:
    form = AssignForm(formdata=None, prefix=f"application-{application.id}")
    form.due_on.data = _default_due(round_)
    form.fill_choices(current.assessors_for(application), current.conflicted_ids(application))
    return form


@bp.route("/rounds/<int:round_id>/assignments/proposal", methods=["GET", "POST"])
@office_only
def proposal(round_id: int):
    """The balanced proposal, shown first with every pair ticked; the ticked pairs are taken
    over with one POST, if the proposal is still the one shown."""
    round_ = get_or_404(Round, round_id)
    form = ProposalForm()
    current = assignment_board.board(round_)
    proposed = assignment_board.propose(current, _per_application())
    chosen = proposed.keys()
    if not form.is_submitted():
        form.due_on.data = _default_due(round_)
    elif request.form.getlist("shown") != proposed.keys():
        flash(
            _("Der Vorschlag hat sich inzwischen geändert. Bitte prüfen Sie ihn noch einmal."),
            "warning",
        )
    else:
        chosen = request.form.getlist("pair")
        if form.validate(proposed.keys()) and _apply(proposed.chosen(chosen), form):
            return redirect(url_for(".round_assignments", round_id=round_.id))
        current = assignment_board.board(round_)  # what is stored now, after a refusal
        proposed = assignment_board.propose(current, _per_application())
    return render_template(
        "reviews/office_proposal.html",
        board=current,
        proposal=proposed,
        chosen=set(chosen),
        form=form,
        per_application=_per_application(),
    )


def _apply(proposed, form: ProposalForm) -> bool:
    try:
        with transaction():
            count = assignments.apply_proposal(
                proposed, form.due_on.data, local_today(), current_user
            )
    except AssignmentError as error:
        form.due_on.errors.append(str(error))
        return False
    except ConflictError:
        flash(str(CHANGED_MEANWHILE), "warning")
        return False
    flash(
        ngettext(
            "Der Vorschlag ist übernommen: %(num)d Zuweisung.",
            "Der Vorschlag ist übernommen: %(num)d Zuweisungen.",
            count,
        ),
        "success",
    )
    return True


# --- assigning one assessor -----------------------------------------------------------------


@bp.get("/applications/<int:application_id>/assignments")
@office_only
def assign_page(application_id: int):
    """The address of the assign form, opened again: the application's page has the form."""
    get_or_404(Application, application_id)
    return redirect(url_for(".application", application_id=application_id))


@bp.post("/applications/<int:application_id>/assignments")
@office_only
def assign(application_id: int):
    application = get_or_404(Application, application_id)
    form = AssignForm(prefix=f"application-{application.id}")
    back_to_round = request.form.get("back") == BACK_TO_ROUND
    if form.validate():
        try:
            with transaction():
                created = assignments.assign(
                    application, form.assessor_id(), form.due_on.data, local_today(), current_user
                )
                name = created.assessor.name
        except AssignmentError as error:
            form[error.field].errors.append(str(error))
        except ConflictError:
            form.assessor.errors.append(str(CHANGED_MEANWHILE))
        else:
            flash(_("%(name)s ist zugewiesen.", name=name), "success")
            return redirect(_back(application, back_to_round))
    if back_to_round:
        return _render_round(application.round, (application.id, form))
    return _render_application(application, assign_form=form)


def _back(application: Application, back_to_round: bool) -> str:
    if back_to_round:
        anchor = f"application-{application.id}"
        return url_for(".round_assignments", round_id=application.round_id, _anchor=anchor)
    return url_for(".application", application_id=application.id)


# --- removing an assignment, moving its due date ---------------------------------------------


@bp.get("/assignments/<int:assignment_id>/remove")
@office_only
def confirm_unassign(assignment_id: int):
    found = get_or_404(Assignment, assignment_id)
    return render_template(
        "reviews/office_unassign.html",
        assignment=found,
        dropped=assignments.dropped_with(found),
        back=_back(found.application, request.args.get("back") == BACK_TO_ROUND),
        back_to_round=request.args.get("back") == BACK_TO_ROUND,
    )


@bp.post("/assignments/<int:assignment_id>/remove")
@office_only
def unassign(assignment_id: int):
    found = get_or_404(Assignment, assignment_id)
    application, name = found.application, found.assessor.name
    back = _back(application, request.form.get("back") == BACK_TO_ROUND)
    try:
        with transaction():
            assignments.unassign(found, current_user)
    except AssignmentError as error:
        flash(str(error), "danger")
    except ConflictError:
        flash(str(CHANGED_MEANWHILE), "warning")
    else:
        flash(_("Die Zuweisung von %(name)s ist entfernt.", name=name), "success")
    return redirect(back)


@bp.post("/assignments/<int:assignment_id>/due")
@office_only
def change_due(assignment_id: int):
    found = get_or_404(Assignment, assignment_id)
    application = found.application
    form = DueDateForm(prefix=f"assignment-{found.id}")
    if form.validate():
        try:
            with transaction():
                changed = assignments.change_due_date(
                    found, form.due_on.data, local_today(), current_user
                )
        except AssignmentError as error:
            form.due_on.errors.append(str(error))
        except ConflictError:
            form.due_on.errors.append(str(CHANGED_MEANWHILE))
        else:
            if changed:
                flash(_("Die Frist ist geändert."), "success")
            return redirect(url_for(".application", application_id=application.id))
    return _render_application(application, due_form=(found.id, form))


@bp.get("/assignments/<int:assignment_id>/due")
@office_only
def due_page(assignment_id: int):
    found = get_or_404(Assignment, assignment_id)
    return redirect(url_for(".application", application_id=found.application_id))


# --- one application --------------------------------------------------------------------------


@bp.get("/applications/<int:application_id>")
@office_only
def application(application_id: int):
    return _render_application(get_or_404(Application, application_id))


def _render_application(
    application: Application,
    assign_form: AssignForm | None = None,
    due_form: tuple[int, DueDateForm] | None = None,
):
    found, scored = assignment_board.application_assignments(application)
    loads = assignment_board.round_loads(application.round)
    taken = {item.assessor_id for item in found}
    conflicts = assignment_board.conflicted_schools(application.round_id)
    conflicted_ids = {a for a, school_id in conflicts if school_id == application.school_id}
    if assign_form is None:
        assign_form = AssignForm(formdata=None, prefix=f"application-{application.id}")
        assign_form.due_on.data = _default_due(application.round)
    free = [load for load in loads if load.assessor.id not in taken]
    assign_form.fill_choices(free, conflicted_ids)
    due_forms = {item.id: _due_form(item) for item in found}
    if due_form is not None and due_form[0] in due_forms:
        due_forms[due_form[0]] = due_form[1]
    return render_template(
        "reviews/office_application.html",
        application=application,
        assignments=found,
        scored=scored,
        criteria_total=sum(1 for _criterion in catalogue_of(application).criteria),
        assign_form=assign_form,
        due_forms=due_forms,
        available=any(load.assessor.id not in conflicted_ids for load in free),
        reviewable=application.status in assignment_board.REVIEWABLE,
        per_application=_per_application(),
        rows=log.rows(application_log.entries_for(application)),
    )


def _due_form(item: Assignment) -> DueDateForm:
    form = DueDateForm(formdata=None, prefix=f"assignment-{item.id}")
    form.due_on.data = item.due_on
    return form
