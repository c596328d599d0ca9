"""Forms for a school and for the CSV import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import Optional, Regexp

from seal_app.forms import BaseForm, VersionField, choices, email_address, max_length, required
from seal_app.schools.models import SCHOOL_TYPE_LABELS, SchoolType
from seal_app.schools.rules import POSTAL_CODE_PATTERN, SCHOOL_NUMBER_PATTERN


class SchoolForm(BaseForm):
    school_number = StringField(
        _l("Schulnummer"),
        validators=[
            required(_l("Bitte geben Sie die Schulnummer ein.")),
            Regexp(
                SCHOOL_NUMBER_PATTERN, message=_l("Die Schulnummer besteht aus 4 bis 8 Ziffern.")
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )
    name = StringField(
        _l("Name der Schule"),
        validators=[required(_l("Bitte geben Sie den Namen ein.")), max_length(200)],
    )
    school_type = SelectField(
        _l("Schulart"),
        choices=choices((kind.value, label) for kind, label in SCHOOL_TYPE_LABELS.items()),
    )
    street = StringField(
        _l("Straße und Hausnummer"),
        validators=[required(_l("Bitte geben Sie Straße und Hausnummer ein.")), max_length(200)],
    )
    postal_code = StringField(
        _l("Postleitzahl"),
        validators=[
            required(_l("Bitte geben Sie die Postleitzahl ein.")),
            Regexp(POSTAL_CODE_PATTERN, message=_l("Die Postleitzahl hat 5 Ziffern.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code"},
    )
    town = StringField(
        _l("Ort"), validators=[required(_l("Bitte geben Sie den Ort ein.")), max_length(100)]
    )
    school_authority = StringField(
        _l("Schulträger"),
        description=_l("Zum Beispiel die Stadt, die Gemeinde oder der Landkreis."),
        validators=[required(_l("Bitte geben Sie den Schulträger ein.")), max_length(200)],
    )
    district = StringField(
        _l("Landkreis"),
        validators=[required(_l("Bitte geben Sie den Landkreis ein.")), max_length(100)],
    )
    email = EmailField(
        _l("E-Mail-Adresse der Schule"),
        validators=[Optional(), email_address(), max_length(254, shown=False)],
    )
    phone = StringField(_l("Telefon"), validators=[Optional(), max_length(50)])
    version = VersionField()

    def values(self) -> dict:
        return {
            "school_number": self.school_number.data.strip(),
            "name": self.name.data.strip(),
            "school_type": SchoolType(self.school_type.data),
            "street": self.street.data.strip(),
            "postal_code": self.postal_code.data.strip(),
            "town": self.town.data.strip(),
            "school_authority": self.school_authority.data.strip(),
            "district": self.district.data.strip(),
            "email": (self.email.data or "").strip().lower() or None,
            "phone": (self.phone.data or "").strip() or None,
        }


class ImportForm(BaseForm):
    file = FileField(
        _l("CSV-Datei"),
        description=_l(
            "Spalten: schulnummer; name; schulart; strasse; plz; ort; schultraeger; landkreis; "
            "optional email; telefon. Trennzeichen Semikolon oder Komma, UTF-8 oder Windows-1252."
        ),
        validators=[FileRequired(_l("Bitte wählen Sie eine CSV-Datei aus."))],
    )
