"""The filter form of the audit log (sent with GET, so no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import Optional

from seal_app.forms import BaseForm, choices


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    school = SelectField(_l("Schule"), validate_choice=False)
    action = SelectField(_l("Aktion"), validate_choice=False)
    date_from = DateField(
        _l("Von (Datum)"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    date_to = DateField(
        _l("Bis (Datum)"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )

    def fill_choices(self, schools: list[tuple[int, str]], actions: list[tuple[str, str]]):
        everything = [("", _l("alle"))]
        self.school.choices = choices(everything + [(str(id_), name) for id_, name in schools])
        self.action.choices = choices(everything + actions)

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Das Ende liegt vor dem Anfang."))

    def chosen_school_id(self) -> int | None:
        known = {choice.value for choice in self.school.choices}
        value = self.school.data or ""
        return int(value) if value and value in known else None

    def chosen_action(self) -> str | None:
        known = {choice.value for choice in self.action.choices}
        return self.action.data if self.action.data and self.action.data in known else None
