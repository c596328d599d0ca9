"""The assessor's page „Befangenheit für die Runde erklären“: the round's schools, searchable
by name, town or number (``?q=``, without JavaScript; the script filters as one types), each
with a box „befangen“ and a short reason; one save for the page."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import BooleanField, StringField, ValidationError
from wtforms import Form as WTForm

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.database import ConflictError, transaction
from seal_app.forms import BaseForm, max_length, single_line
from seal_app.reviews import round_conflicts
from seal_app.reviews.round_conflicts import REASON_LIMIT, Entry, RoundSchool
from seal_app.rounds.models import Round
from seal_app.views import get_or_404, optional_id

bp = Blueprint("round_conflicts", __name__, url_prefix="/review")
QUERY_LIMIT = 100  # characters of the search text that count


class PageForm(BaseForm):
    """The page's CSRF and draft tokens; the schools' rows are ``RowForm``s."""


class RowForm(WTForm):
    """One school of the page: the box and the reason (labels written by the template)."""

    conflict = BooleanField(_l("befangen"))
    reason = StringField(_l("Grund"), validators=[max_length(REASON_LIMIT), single_line])

    def validate_reason(self, field) -> None:
        typed = bool((field.data or "").strip())
        if self.conflict.data and not typed:
            raise ValidationError(_("Bitte nennen Sie den Grund Ihrer Befangenheit."))
        if typed and not self.conflict.data:  # never drop what was typed without a word
            raise ValidationError(
                _(
                    "Sie haben einen Grund eingetragen, aber „befangen“ nicht angekreuzt. "
                    "Kreuzen Sie es an oder löschen Sie den Grund."
                )
            )

    def entry(self, school_id: int) -> Entry:
        return Entry(school_id, bool(self.conflict.data), self.reason.data or "")


def _row_form(school: RoundSchool, formdata=None) -> RowForm:
    declaration = school.declaration
    data = {
        "conflict": declaration is not None,
        "reason": declaration.reason if declaration else "",
    }
    form = RowForm(formdata, prefix=f"school-{school.school.id}-", data=data)
    # the error summary names the school; the page's own labels say it to screen readers
    form.reason.label.text = _("Grund – %(school)s", school=school.school.name)
    form.conflict.label.text = _("befangen – %(school)s", school=school.school.name)
    return form


@bp.app_template_global()
def rounds_to_declare_conflicts() -> list[Round]:
    """Rounds whose applications are not yet fully assigned (the assessor's home links them)."""
    return round_conflicts.rounds_to_declare(int(current_app.config["ASSESSORS_PER_APPLICATION"]))


@bp.route("/rounds/<int:round_id>/conflicts", methods=["GET", "POST"])
@roles_required(Role.ASSESSOR)
def declare(round_id: int):
    round_ = get_or_404(Round, round_id)
    query = (request.values.get("q") or "").strip()[:QUERY_LIMIT]
    schools = round_conflicts.round_schools(round_, current_user)
    page = PageForm()
    if request.method == "POST":
        sent = _sent_schools(schools)
        rows = {item.school.id: _row_form(item, request.form) for item in sent}
        changed = _save(round_, page, sent, rows)
        if changed is not None:
            return redirect(url_for(".declare", round_id=round_.id, q=query or None))
        shown = sent
    else:
        shown = [item for item in schools if round_conflicts.matches(item.school, query)]
        rows = {item.school.id: _row_form(item) for item in shown}
    return render_template(
        "reviews/round_conflicts.html",
        round=round_,
        query=query,
        schools=shown,
        total=len(schools),
        page_form=page,
        rows=rows,
        reason_limit=REASON_LIMIT,
    )


def _sent_schools(schools: Sequence[RoundSchool]) -> list[RoundSchool]:
    """The schools the page listed, in its order; a school not in the round is a 404."""
    by_id = {item.school.id: item for item in schools}
    ids = [optional_id(value) for value in request.form.getlist("school")]
    if any(item not in by_id for item in ids):
        abort(404)
    return [by_id[item] for item in dict.fromkeys(ids)]


def _save(round_: Round, page: PageForm, sent: list[RoundSchool], rows: dict) -> int | None:
    """Validate every row at once and store; how many changed, None if nothing was stored."""
    valid = page.validate_on_submit()
    valid = all([row.validate() for row in rows.values()]) and valid
    if not valid:
        return None
    entries = [rows[item.school.id].entry(item.school.id) for item in sent]
    problems = round_conflicts.problems(sent, entries)
    for school_id, (field, message) in problems.items():
        rows[school_id][field].errors = [*rows[school_id][field].errors, message]
    if problems:
        return None
    shown = {
        item.school.id: optional_id(request.form.get(f"version-{item.school.id}", ""))
        for item in sent
    }
    try:
        with transaction():
            changed = round_conflicts.save(round_, current_user, entries, shown)
    except ConflictError:
        flash(
            _(
                "Inzwischen wurden Ihre Erklärungen an anderer Stelle geändert (etwa in einem "
                "anderen Fenster). Es wurde nichts gespeichert. Ihre Eingaben stehen noch im "
                "Formular; die Liste zeigt daneben, was jetzt gilt. Speichern Sie erneut, wenn "
                "Ihre Eingaben gelten sollen."
            ),
            "warning",
        )
        return None
    if changed:
        flash(
            ngettext("%(num)d Erklärung gespeichert.", "%(num)d Erklärungen gespeichert.", changed),
            "success",
        )
    else:
        flash(_("Es gab nichts zu ändern."), "info")
    return changed
