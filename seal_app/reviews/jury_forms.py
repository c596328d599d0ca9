"""Forms of the on-site visit and of the jury's meeting."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from seal_app.catalogue.model import Catalogue
from seal_app.forms import BaseForm, VersionField, choices, max_length, required
from seal_app.reviews.models import Assignment
from seal_app.reviews.visits import empty_protocol_message
from seal_app.views import optional_id


def known_choices(form, field) -> None:
    """Only values offered on the page (a German message, not WTForms' English one)."""
    offered = {str(choice.value) for choice in field.choices or ()}
    given = field.data if isinstance(field.data, list) else [field.data]
    if any(value not in offered for value in given if value not in (None, "")):
        raise ValidationError(_("Bitte wählen Sie aus den angebotenen Möglichkeiten."))


def at_least_one_visitor(form, field) -> None:
    """Checked with the date and time, so that an empty form names every gap at once."""
    if not field.data:
        raise ValidationError(
            _("Bitte wählen Sie mindestens eine Gutachterin oder einen Gutachter.")
        )


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (no JavaScript, easy on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VisitForm(BaseForm):
    on = DateField(
        _l("Datum des Besuchs"), validators=[required(_l("Bitte geben Sie das Datum an."))]
    )
    at = TimeField(
        _l("Uhrzeit"),
        description=_l("Zum Beispiel 09:30."),
        validators=[required(_l("Bitte geben Sie die Uhrzeit an, z. B. 09:30."))],
    )
    visitors = CheckboxesField(
        _l("Wer besucht die Schule?"),
        validate_choice=False,
        validators=[known_choices, at_least_one_visitor],
    )
    note = TextAreaField(
        _l("Hinweis für die Schule"),
        description=_l("Zum Beispiel Treffpunkt, Ansprechperson, geplanter Ablauf."),
        validators=[max_length(2000)],
    )
    version = VersionField()

    def use_assessors(self, assignments: list[Assignment]) -> None:
        self.visitors.choices = choices((str(item.id), item.assessor.name) for item in assignments)

    def visitor_ids(self) -> frozenset[int]:
        ids = (optional_id(value) for value in self.visitors.data or ())
        return frozenset(item for item in ids if item is not None)


class CancelVisitForm(BaseForm):
    version = VersionField()


class ProtocolForm(BaseForm):
    observed = TextAreaField(
        _l("Was haben Sie gesehen?"),
        description=_l("Räume, Aushänge, Abläufe, Übungen – was Sie selbst wahrgenommen haben."),
        validators=[max_length(5000)],
    )
    talked_to = TextAreaField(
        _l("Mit wem haben Sie gesprochen?"),
        description=_l("Zum Beispiel Schülerinnen und Schüler, Lehrkräfte, Schulleitung, Partner."),
        validators=[max_length(2000)],
    )
    findings = TextAreaField(
        _l("Ihre Feststellungen"),
        description=_l("Was bestätigt oder ergänzt die Angaben der Schule, was fehlt?"),
        validators=[max_length(5000)],
    )
    version = VersionField()

    def validate_observed(self, field) -> None:
        """An empty protocol records nothing: at least one of the three fields is needed."""
        if not any(self.values().values()):
            raise ValidationError(empty_protocol_message())

    def values(self) -> dict[str, str]:
        return {
            name: (self[name].data or "").strip() for name in ("observed", "talked_to", "findings")
        }


NOTE_LIMIT = 2000  # characters of the jury's reason for a level


def scale_choices(catalogue: Catalogue) -> list[tuple[str, str]]:
    """The levels of the scale as (value, label) pairs: „2 – umgesetzt“."""
    return [(str(level.value), f"{level.value} – {level.label}") for level in catalogue.scale]


class JuryLevelForm(BaseForm):
    """The agreed level of one criterion. The meeting's page builds it only for the criterion
    that was sent (the template writes the other rows' fields the same way, from the rows)."""

    level = SelectField(
        _l("Vereinbarte Stufe"),
        validate_choice=False,
        validators=[InputRequired(_l("Bitte wählen Sie eine Stufe.")), known_choices],
    )
    note = TextAreaField(
        _l("Begründung"),
        description=_l("Nötig, wenn die Stufe vom gerundeten Mittelwert abweicht."),
        validators=[max_length(NOTE_LIMIT)],
    )
    version = VersionField()

    def use_scale(self, catalogue: Catalogue) -> None:
        self.level.choices = choices(scale_choices(catalogue))

    def chosen_level(self) -> int | None:
        value = self.level.data or ""
        return int(value) if value.isascii() and value.isdigit() else None
