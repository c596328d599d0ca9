"""Forms for requests for more, the review, and reopening a review."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, DateField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional

from seal_app.catalogue.model import Catalogue
from seal_app.formatting import codes as codes_text
from seal_app.forms import BaseForm, VersionField, choices, max_length, required
from seal_app.reviews.models import RECOMMENDATION_LABELS, Recommendation
from seal_app.reviews.submission import ReviewValues


class RequestMoreForm(BaseForm):
    criteria = SelectMultipleField(_l("Betroffene Kriterien"), validate_choice=False)
    message = TextAreaField(
        _l("Was soll die Schule ergänzen?"),
        description=_l("Die Schule liest diesen Text so, wie Sie ihn schreiben."),
        validators=[
            required(_l("Bitte schreiben Sie, was die Schule ergänzen soll.")),
            max_length(5000),
        ],
    )
    due_date = DateField(
        _l("Frist"),
        description=_l("Bis wann die Schule antworten soll."),
        validators=[required(_l("Bitte geben Sie eine Frist an."))],
    )

    def check(self, known_codes: list[str], today: date) -> bool:
        """The rules beyond single fields: at least one known criterion, a date not past."""
        ok = True
        codes = self.criteria.data or []
        if not codes:
            self.criteria.errors = [_("Bitte wählen Sie mindestens ein Kriterium.")]
            ok = False
        elif unknown := sorted(set(codes) - set(known_codes)):
            self.criteria.errors = [
                ngettext(
                    "Dieses Kriterium gibt es nicht: %(codes)s",
                    "Diese Kriterien gibt es nicht: %(codes)s",
                    len(unknown),
                    codes=codes_text(unknown),
                )
            ]
            ok = False
        if self.due_date.data is not None and self.due_date.data < today:
            self.due_date.errors = [
                *self.due_date.errors,
                _("Die Frist darf nicht in der Vergangenheit liegen."),
            ]
            ok = False
        return ok


class AdvicePerAreaForm(BaseForm):
    """A form with advice for the school per catalogue area; ``for_catalogue`` adds the
    fields (the review's and the decision's)."""

    area_codes: list[str] = []

    @classmethod
    def for_catalogue(cls, catalogue: Catalogue, **kwargs):
        fields = {
            f"advice_{area.code}": TextAreaField(
                _(
                    "Hinweise für die Schule zu %(code)s. %(title)s",
                    code=area.code,
                    title=area.title,
                ),
                validators=[max_length(5000)],
            )
            for area in catalogue.areas
        }
        form = type(f"{cls.__name__}WithAreas", (cls,), fields)(**kwargs)
        form.area_codes = [area.code for area in catalogue.areas]
        return form

    def advice_field(self, area_code: str):
        return self[f"advice_{area_code}"]

    def fill_advice(self, advice: dict[str, str]) -> None:
        """Show the stored advice (on a GET, the fields are built empty)."""
        for code in self.area_codes:
            self.advice_field(code).data = advice.get(code, "")

    def advice(self) -> dict[str, str]:
        return {code: self.advice_field(code).data or "" for code in self.area_codes}


class ReviewForm(AdvicePerAreaForm):
    """The review."""

    recommendation = RadioField(
        _l("Ihre Empfehlung"),
        choices=choices((item.value, RECOMMENDATION_LABELS[item]) for item in Recommendation),
        validators=[Optional()],
        validate_choice=False,  # an unknown value counts as none chosen
    )
    summary = TextAreaField(
        _l("Zusammenfassung"),
        description=_l("Ihr Gesamteindruck in wenigen Sätzen; zum Abgeben erforderlich."),
        validators=[max_length(10000)],
    )
    strengths = TextAreaField(_l("Stärken der Schule"), validators=[max_length(10000)])
    confirmed = BooleanField(
        _l(
            "Zum Abgeben: Ich habe meine Stufen, Kommentare und Hinweise geprüft. Danach kann "
            "ich das Gutachten nicht mehr ändern."
        )
    )
    version = VersionField()

    def check_for_submission(self) -> bool:
        ok = True
        if self.values().recommendation is None:
            self.recommendation.errors = [_("Bitte wählen Sie Ihre Empfehlung.")]
            ok = False
        if not (self.summary.data or "").strip():
            self.summary.errors = [
                *self.summary.errors,
                _("Bitte fassen Sie Ihr Gutachten zusammen."),
            ]
            ok = False
        if not self.confirmed.data:
            self.confirmed.errors = [
                _("Bitte bestätigen Sie, dass Sie Ihr Gutachten geprüft haben.")
            ]
            ok = False
        return ok

    def values(self) -> ReviewValues:
        chosen = self.recommendation.data
        return ReviewValues(
            recommendation=Recommendation(chosen)
            if chosen in Recommendation._value2member_map_
            else None,
            summary=self.summary.data or "",
            strengths=self.strengths.data or "",
            advice=self.advice(),
        )


class ReopenForm(BaseForm):
    reason = TextAreaField(
        _l("Grund für das erneute Öffnen"),
        description=_l("Die Gutachterin oder der Gutachter sieht diesen Grund."),
        validators=[required(_l("Bitte geben Sie einen Grund an.")), max_length(2000)],
    )
    version = VersionField()
