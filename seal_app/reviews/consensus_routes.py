"""The jury's meeting: the consensus page, the agreed levels and the chart."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from seal_app import charts
from seal_app.applications import services as application_services
from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.catalogue.model import Catalogue
from seal_app.database import ConflictError, transaction
from seal_app.reviews import agreed_levels, consensus, late_conflicts
from seal_app.reviews.jury_blueprint import bp, level_mean
from seal_app.reviews.jury_forms import (
    NOTE_LIMIT,
    JuryLevelForm,
    scale_choices,
)
from seal_app.reviews.models import ConflictState
from seal_app.reviews.submission import all_reviews_in, is_submitted
from seal_app.views import get_or_404, save_versioned

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
            dropped=late_conflicts.dropped_after_agreement(application),
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
        divergent_hint=divergent_note_hint(catalogue.award_rule.divergence),
        chart_size=charts.size(len(catalogue.areas)),
        dropped=late_conflicts.dropped_after_agreement(application),
    )


def _adopt(application: Application, catalogue: Catalogue):
    """Take over the rounded mean for every criterion without an agreed level, in one go."""
    try:
        with transaction():
            count = agreed_levels.adopt_proposals(
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
        remaining = len(consensus.consensus_of(application, catalogue).unsettled)
        flash(*adopted_message(count, remaining))
        if remaining:
            return redirect(
                url_for("jury.consensus", application_id=application.id, _anchor="unsettled")
            )
        if not count:
            return redirect(url_for("jury.consensus", application_id=application.id))
    return redirect(
        url_for("jury.consensus", application_id=application.id, _anchor="proposal-title")
    )


def adopted_message(count: int, remaining: int) -> tuple[str, str]:
    """What bulk adoption did, and how many divergent criteria still wait for a reason."""
    if not count:
        adopted = _("Es gibt keinen Vorschlag mehr zu übernehmen.")
    elif remaining:
        adopted = ngettext("%(num)d Vorschlag übernommen.", "%(num)d Vorschläge übernommen.", count)
    else:
        adopted = ngettext(
            "Der gerundete Mittelwert ist für %(num)d Kriterium als vereinbarte Stufe gespeichert.",
            "Die gerundeten Mittelwerte sind für %(num)d Kriterien als vereinbarte Stufen "
            "gespeichert.",
            count,
        )
    if not remaining:
        return adopted, "success" if count else "info"
    waiting = ngettext(
        "%(num)d Kriterium mit abweichenden Bewertungen braucht noch eine Stufe mit Begründung.",
        "%(num)d Kriterien mit abweichenden Bewertungen brauchen noch eine Stufe mit Begründung.",
        remaining,
    )
    return f"{adopted} {waiting}", "warning"


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
    if row.divergent:
        form.note.label.text = _("Begründung der Einigung zu %(code)s", code=code)
        form.note.description = divergent_note_hint(meeting.catalogue.award_rule.divergence)
        form.note.flags.required = True
    return form


def divergent_note_hint(threshold: int) -> str:
    return ngettext(
        "Pflichtangabe: Die Gutachten liegen %(num)d Stufe oder mehr auseinander. Ein Verweis "
        "genügt, zum Beispiel „siehe Diskussion vom 3.3.“.",
        "Pflichtangabe: Die Gutachten liegen %(num)d Stufen oder mehr auseinander. Ein Verweis "
        "genügt, zum Beispiel „siehe Diskussion vom 3.3.“.",
        threshold,
    )


def _save_level(application, catalogue, code: str, form: JuryLevelForm, meeting):
    if not form.validate_on_submit():
        return False, None

    def save() -> None:
        agreed_levels.save_jury_level(
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
    return charts.svg_response(
        consensus_drawing(meeting),
        _("Mittlere Stufe der Gutachten je Bereich"),
        _("Balkendiagramm; die Zahlen stehen auch in der Tabelle daneben."),
    )


def consensus_drawing(meeting: consensus.Consensus):
    top = meeting.catalogue.top_level
    return charts.area_chart(
        [(item.area.code, item.mean) for item in meeting.area_means],
        top,
        _("Mittlere Stufe (0 bis %(top)d)", top=top),
        number=level_mean,
    )
