"""Form helpers shared by all domains."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from seal_app.auth import passwords


def required(message: str | None = None) -> DataRequired:
    return DataRequired(message=message or _l("Bitte füllen Sie dieses Feld aus."))


def email_address() -> Email:
    return Email(
        message=_l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@schule.de."),
        check_deliverability=False,
    )


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Höchstens %(max)d Zeichen.", max=limit))


class StrongPassword:
    """Refuse short and easily guessed passwords (zxcvbn), naming why in German."""

    def __call__(self, form, field) -> None:
        texts = getattr(form, "personal_words", [])
        words = [word for text in texts for word in re.split(r"[\s@._-]+", text) if len(word) > 2]
        problems = passwords.password_problems(field.data or "", words)
        if problems:
            raise ValidationError(problems[0])


class VersionField(HiddenField):
    """The version of the record the form was built from, to refuse stale edits."""

    def process_formdata(self, valuelist) -> None:
        self.data = int(valuelist[0]) if valuelist and valuelist[0].isdigit() else None


def choices(pairs) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
