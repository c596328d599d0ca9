"""The forms of the exports page, one per export. They are sent with GET (a download changes
nothing, so no CSRF token), each with a prefix of its own so that its fields' ids and names
stay apart on the one page."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, ValidationError

from seal_app.forms import BaseForm, choices, required
from seal_app.views import optional_id

XLSX, CSV = "xlsx", "csv"
FORMATS = ((XLSX, _l("Excel-Arbeitsmappe (XLSX)")), (CSV, _l("CSV (Semikolon, UTF-8)")))


class ExportForm(BaseForm):
    """The file format every export asks for."""

    class Meta:
        csrf = False

    file_format = SelectField(
        _l("Format"), choices=choices(FORMATS), default=XLSX, validate_choice=False
    )

    def validate_file_format(self, field) -> None:
        if field.data not in (XLSX, CSV):
            raise ValidationError(_("Bitte wählen Sie ein Format aus der Liste."))


class RoundExportForm(ExportForm):
    round_id = SelectField(_l("Vergaberunde"), validate_choice=False)

    def fill_choices(self, rounds: list[tuple[int, str]]) -> None:
        self.round_id.choices = choices((str(id_), title) for id_, title in rounds)

    def validate_round_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Bitte wählen Sie eine Vergaberunde."))
        if self.chosen_round_id() is None:
            raise ValidationError(
                _("Diese Vergaberunde gibt es nicht. Bitte wählen Sie eine aus der Liste.")
            )

    def chosen_round_id(self) -> int | None:
        known = {choice.value for choice in self.round_id.choices or ()}
        return optional_id(self.round_id.data) if self.round_id.data in known else None


class AuditExportForm(ExportForm):
    date_from = DateField(
        _l("Von (Datum)"),
        validators=[required(_l("Bitte geben Sie den ersten Tag des Zeitraums an."))],
        render_kw={"autocomplete": "off"},
    )
    date_to = DateField(
        _l("Bis (Datum)"),
        validators=[required(_l("Bitte geben Sie den letzten Tag des Zeitraums an."))],
        render_kw={"autocomplete": "off"},
    )

    def validate_date_to(self, field) -> None:
        first = self.date_from.data
        if not field.data or not first or self.date_from.errors or field.errors:
            return
        if field.data < first:
            raise ValidationError(_("Der letzte Tag liegt vor dem ersten Tag des Zeitraums."))
        limit = current_app.config["EXPORT_AUDIT_MAX_DAYS"]
        if (field.data - first).days + 1 > limit:
            raise ValidationError(
                _(
                    "Der Zeitraum ist zu lang: Bitte exportieren Sie höchstens %(days)d Tage "
                    "auf einmal.",
                    days=limit,
                )
            )
