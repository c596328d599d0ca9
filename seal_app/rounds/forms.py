"""Forms for rounds."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from seal_app.forms import VersionField, choices, max_length, required
from seal_app.rounds.models import RoundStatus

STATUS_LABELS = {RoundStatus.OPEN: _l("offen"), RoundStatus.CLOSED: _l("geschlossen")}


class NewRoundForm(FlaskForm):
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


class EditRoundForm(FlaskForm):
    submission_deadline = DateField(
        _l("Abgabefrist"), validators=[required(_l("Bitte geben Sie die Abgabefrist an."))]
    )
    status = SelectField(
        _l("Status"),
        choices=choices((status.value, label) for status, label in STATUS_LABELS.items()),
    )
    version = VersionField()
