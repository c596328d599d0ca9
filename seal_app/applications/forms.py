"""Forms of the school's application."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from seal_app.catalogue.model import Catalogue
from seal_app.config import FILES_PER_FORM
from seal_app.forms import VersionField, choices, max_length, required

UPLOAD_SLOTS = FILES_PER_FORM


class UploadSlotsMixin:
    """Three places to choose a file, each with a short description (no JavaScript needed)."""

    file_1 = FileField(_l("Datei 1"))
    description_1 = StringField(_l("Beschreibung von Datei 1"), validators=[max_length(500)])
    file_2 = FileField(_l("Datei 2"))
    description_2 = StringField(_l("Beschreibung von Datei 2"), validators=[max_length(500)])
    file_3 = FileField(_l("Datei 3"))
    description_3 = StringField(_l("Beschreibung von Datei 3"), validators=[max_length(500)])
    staged = HiddenField()

    def upload_slots(self) -> list[tuple]:
        return [(self[f"file_{n}"], self[f"description_{n}"]) for n in range(1, UPLOAD_SLOTS + 1)]

    def chosen_uploads(self) -> list[tuple]:
        return [
            (file_field, description)
            for file_field, description in self.upload_slots()
            if file_field.data and file_field.data.filename
        ]

    def staged_ids(self) -> list[int]:
        return [int(part) for part in (self.staged.data or "").split(",") if part.isdigit()]

    def check_descriptions(self) -> bool:
        ok = True
        for _file_field, description in self.chosen_uploads():
            if not (description.data or "").strip():
                description.errors = [
                    *description.errors,
                    _l("Bitte beschreiben Sie die Datei kurz."),
                ]
                ok = False
        return ok


class CriterionForm(UploadSlotsMixin, FlaskForm):
    self_rating = RadioField(_l("Ihre Selbsteinschätzung"), coerce=int, validators=[Optional()])
    measures = TextAreaField(
        _l("Was tut Ihre Schule zu diesem Kriterium?"),
        description=_l("Maßnahmen, Angebote, Vereinbarungen – so konkret wie möglich."),
        validators=[max_length(10000)],
    )
    since = StringField(_l("Seit wann?"), validators=[max_length(100)])
    participants = TextAreaField(
        _l("Wer ist beteiligt?"),
        description=_l("Zum Beispiel Klassenstufen, Lehrkräfte, Schülerinnen und Schüler, Eltern."),
        validators=[max_length(3000)],
    )
    partners = TextAreaField(_l("Partner außerhalb der Schule"), validators=[max_length(3000)])
    version = VersionField()

    def use_scale(self, catalogue: Catalogue) -> None:
        self.self_rating.choices = choices(
            (level.value, f"{level.value} – {level.label}") for level in catalogue.scale
        )

    def values(self) -> dict:
        return {
            "self_rating": self.self_rating.data if self.self_rating.raw_data else None,
            "measures": (self.measures.data or "").strip(),
            "since": (self.since.data or "").strip(),
            "participants": (self.participants.data or "").strip(),
            "partners": (self.partners.data or "").strip(),
        }


class ResponseForm(UploadSlotsMixin, FlaskForm):
    text = TextAreaField(_l("Ihre Ergänzung"), validators=[max_length(10000)])
    version = VersionField()


class VoteForm(FlaskForm):
    decided_on = DateField(_l("Datum"), validators=[required(_l("Bitte geben Sie das Datum an."))])
    document = FileField(_l("Dokument (PDF oder Bild)"))


class RenewalNoteForm(FlaskForm):
    changes = TextAreaField(
        _l("Was hat sich in diesem Bereich seit der letzten Verleihung verändert?"),
        validators=[max_length(10000)],
    )
    advice_response = TextAreaField(
        _l("Wie hat die Schule die Hinweise der Jury aufgegriffen?"),
        validators=[max_length(10000)],
    )
    version = VersionField()


class ReplaceFileForm(FlaskForm):
    file = FileField(_l("Neue Datei"))
