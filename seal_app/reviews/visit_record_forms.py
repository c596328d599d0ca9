"""Forms of the visit's record: an addition to the protocol (text and/or photo) and deleting a
photo."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import SelectField, StringField, TextAreaField, ValidationError

from seal_app.catalogue.model import Catalogue
from seal_app.forms import BaseForm, choices, max_length
from seal_app.reviews.jury_forms import known_choices
from seal_app.reviews.visit_record import ADDITION_LIMIT, CAPTION_LIMIT


class AdditionForm(BaseForm):
    area = SelectField(
        _l("Wozu gehört Ihre Ergänzung?"), validate_choice=False, validators=[known_choices]
    )
    text = TextAreaField(
        _l("Ihre Ergänzung"),
        description=_l(
            "Wird mit Ihrem Namen und der Uhrzeit unter dem Protokoll angefügt und lässt sich "
            "danach nicht mehr ändern."
        ),
        validators=[max_length(ADDITION_LIMIT)],
    )
    photo = FileField(
        _l("Foto"),
        description=_l(
            "JPEG oder PNG. Ortsangaben (GPS) und andere Metadaten werden beim Hochladen entfernt."
        ),
        render_kw={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"},
    )
    caption = StringField(
        _l("Was zeigt das Foto?"),
        description=_l(
            "Wird als Beschreibung des Bildes vorgelesen. Ohne Angabe: „Foto vom Schulbesuch, "
            "Bereich …“."
        ),
        validators=[max_length(CAPTION_LIMIT)],
    )

    def use_catalogue(self, catalogue: Catalogue) -> None:
        whole = [("", _("Zum ganzen Besuch"))]
        areas = [(area.code, f"{area.code}. {area.title}") for area in catalogue.areas]
        self.area.choices = choices(whole + areas)

    def upload(self) -> FileStorage | None:
        data = self.photo.data
        return data if isinstance(data, FileStorage) and data.filename else None

    def validate_text(self, field) -> None:
        """An empty addition records nothing: a text or a photo is needed."""
        if not (field.data or "").strip() and self.upload() is None:
            raise ValidationError(
                _("Bitte schreiben Sie Ihre Ergänzung oder wählen Sie ein Foto aus.")
            )

    def validate_photo(self, field) -> None:
        """A caption belongs to a photo: without one it would be lost unnoticed."""
        if (self.caption.data or "").strip() and self.upload() is None:
            raise ValidationError(
                _(
                    "Bitte wählen Sie das Foto aus, zu dem die Beschreibung gehört, oder "
                    "löschen Sie die Beschreibung."
                )
            )


class DeletePhotoForm(BaseForm):
    pass
