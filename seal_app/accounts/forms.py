"""Forms for the access request and for managing users."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp

from seal_app.auth.models import Role
from seal_app.forms import BaseForm, choices, email_address, max_length, required
from seal_app.schools.models import POSITION_LABELS, Position

ROLE_LABELS = {
    Role.SCHOOL: _l("Schule"),
    Role.ASSESSOR: _l("Gutachter/in"),
    Role.OFFICE: _l("Geschäftsstelle"),
}

SCHOOL_NUMBER = Regexp(
    r"^\s*\d{4,8}\s*$", message=_l("Die Schulnummer besteht aus 4 bis 8 Ziffern.")
)


def position_choices() -> list[tuple[str, str]]:
    return choices((position.value, POSITION_LABELS[position]) for position in Position)


class AccessRequestForm(BaseForm):
    school_number = StringField(
        _l("Schulnummer"),
        description=_l("Die amtliche Schulnummer Ihrer Schule."),
        validators=[required(_l("Bitte geben Sie die Schulnummer ein.")), SCHOOL_NUMBER],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    name = StringField(
        _l("Ihr Name"),
        validators=[required(_l("Bitte geben Sie Ihren Namen ein.")), max_length(200)],
        render_kw={"autocomplete": "name"},
    )
    position = SelectField(_l("Ihre Funktion an der Schule"), choices=position_choices)
    email = EmailField(
        _l("Dienstliche E-Mail-Adresse"),
        validators=[required(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")), email_address()],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class UserForm(BaseForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[required(_l("Bitte geben Sie die E-Mail-Adresse ein.")), email_address()],
        render_kw={"spellcheck": "false"},
    )
    name = StringField(
        _l("Name"), validators=[required(_l("Bitte geben Sie den Namen ein.")), max_length(200)]
    )
    role = SelectField(
        _l("Rolle"), choices=choices((role.value, label) for role, label in ROLE_LABELS.items())
    )
    school_numbers = StringField(
        _l("Schulnummern (nur für die Rolle Schule)"),
        description=_l("Eine oder mehrere Schulnummern, getrennt durch Komma."),
        validators=[Optional(), max_length(500)],
    )
    position = SelectField(_l("Funktion an der Schule"), choices=position_choices)


class UserEditForm(UserForm):
    enabled = BooleanField(_l("Zugang aktiv"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.email  # the e-mail address identifies the account and is not edited here


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Begründung für die Schule"),
        validators=[required(_l("Bitte geben Sie eine Begründung an.")), max_length(2000)],
    )
