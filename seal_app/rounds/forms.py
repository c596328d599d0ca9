"""Forms for rounds."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from seal_app.forms import BaseForm, VersionField, choices, max_length, required
from seal_app.rounds.models import RoundStatus

STATUS_LABELS = {RoundStatus.OPEN: _l("offen"), RoundStatus.CLOSED: _l("geschlossen")}


class NewRoundForm(BaseForm):
    year = IntegerField(
        _l("Jahr"),
        validators=[
            required(_l("Bitte geben Sie das Jahr an.")),
            NumberRange(2012, 2100, message=_l("Bitte ein Jahr zwischen 2012 und 2100.")),
        ],
    )
    title = StringField(
        _l("Bezeichnung"),
        description=_l("Leer lassen für „Vergaberunde JAHR“."),
        validators=[Optional(), max_length(200)],
    )
    submission_deadline = DateField(
        _l("Abgabefrist"),
        description=_l("Leer lassen für den 30. Juni des Jahres."),
        validators=[Optional()],
    )
    catalogue_version = SelectField(_l("Version des Kriterienkatalogs"))

    def deadline(self) -> date | None:
        return self.submission_deadline.data


class EditRoundForm(BaseForm):
    submission_deadline = DateField(
        _l("Abgabefrist"), validators=[required(_l("Bitte geben Sie die Abgabefrist an."))]
    )
    review_until = DateField(
        _l("Begutachtung durch die Jury bis"),
        description=_l("Schulen sehen das Datum nach dem Einreichen."),
        validators=[Optional()],
    )
    decision_expected_on = DateField(
        _l("Entscheidung voraussichtlich am"),
        description=_l("Schulen sehen das Datum nach dem Einreichen."),
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=choices((status.value, label) for status, label in STATUS_LABELS.items()),
    )
    version = VersionField()

    def validate_review_until(self, field: DateField) -> None:
        _require_after_deadline(self, field)

    def validate_decision_expected_on(self, field: DateField) -> None:
        _require_after_deadline(self, field)
        review_until = self.review_until.data
        if field.data and review_until and field.data < review_until:
            raise ValidationError(
                _l("Die Entscheidung kann nicht vor dem Ende der Begutachtung liegen.")
            )


def _require_after_deadline(form: EditRoundForm, field: DateField) -> None:
    deadline = form.submission_deadline.data
    if field.data and deadline and field.data <= deadline:
        raise ValidationError(_l("Das Datum muss nach der Abgabefrist liegen."))
