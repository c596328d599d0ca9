"""The office's forms for assignments: assign one assessor, take over a proposal, move a due
date."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField

from seal_app.forms import BaseForm, choices, required
from seal_app.reviews.assignment_board import Load
from seal_app.views import database_id

DUE_HINT = _l("Bis wann das Gutachten vorliegen soll.")


def _due_field() -> DateField:
    return DateField(
        _l("Frist"),
        validators=[required(_l("Bitte geben Sie eine Frist an."))],
        description=DUE_HINT,
        render_kw={"autocomplete": "off"},
    )


class AssignForm(BaseForm):
    """One assessor for one application. The choice is checked by the service, so that an
    unknown or unsuitable account gets the same clear message as an empty choice."""

    assessor = SelectField(_l("Gutachter/in"), validate_choice=False)
    due_on = _due_field()

    def fill_choices(self, loads: list[Load], conflicted_ids: set[int]) -> None:
        options = [("", _l("Bitte wählen"))]
        for load in loads:
            # gettext, not lazy_gettext: a lazy string counts as safe markup in WTForms, and the
            # name is the user's own text, to be escaped.
            label = _("%(name)s (%(open)d offen)", name=load.assessor.name, open=load.open)
            if load.assessor.id in conflicted_ids:
                label = _("%(label)s – befangen bei dieser Schule", label=label)
            options.append((str(load.assessor.id), label))
        self.assessor.choices = choices(options)

    def assessor_id(self) -> int | None:
        try:
            return database_id(self.assessor.data or "")
        except ValueError:
            return None


class ProposalForm(BaseForm):
    """The due date for the proposal; the ticked pairs are checkboxes named ``pair``, checked
    against the proposal itself (``validate``)."""

    due_on = _due_field()

    def validate(self, proposed: list[str] | None = None, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        ticked = request.form.getlist("pair")
        if proposed is not None and not set(ticked) & set(proposed):
            self.form_errors.append(_("Bitte lassen Sie mindestens eine Zuweisung angehakt."))
            valid = False
        return valid


class DueDateForm(BaseForm):
    due_on = DateField(
        _l("Neue Frist"),
        validators=[required(_l("Bitte geben Sie eine Frist an."))],
        render_kw={"autocomplete": "off"},
    )
