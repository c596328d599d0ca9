"""Forms of the assessor's own work: the declaration and the score of one criterion."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField, ValidationError

from seal_app.catalogue.model import Catalogue
from seal_app.forms import BaseForm, VersionField, choices, max_length
from seal_app.reviews.scoring import COMMENT_LIMIT, REASON_LIMIT

NO_CONFLICT = "none"
CONFLICT = "conflict"


class DeclarationForm(BaseForm):
    decision = RadioField(
        _l("Ihre Erklärung"),
        choices=choices(
            [
                (NO_CONFLICT, _l("Ich bin nicht befangen.")),
                (CONFLICT, _l("Ich bin befangen.")),
            ]
        ),
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Grund der Befangenheit"),
        description=_l(
            "Nur bei Befangenheit: zum Beispiel, dass Sie an der Schule oder mit ihr arbeiten, "
            "dass ein Angehöriger dort lernt oder arbeitet, oder eine andere enge Verbindung."
        ),
        validators=[max_length(REASON_LIMIT)],
    )

    def validate_decision(self, field) -> None:
        if field.data not in (NO_CONFLICT, CONFLICT):
            raise ValidationError(_("Bitte wählen Sie eine der beiden Erklärungen."))

    def validate_reason(self, field) -> None:
        if self.decision.data == CONFLICT and not (field.data or "").strip():
            raise ValidationError(
                _(
                    "Bitte nennen Sie den Grund Ihrer Befangenheit, damit die Geschäftsstelle "
                    "neu zuweisen kann."
                )
            )

    @property
    def conflict(self) -> bool:
        return self.decision.data == CONFLICT


class ScoreForm(BaseForm):
    """The assessor's level on the catalogue's scale and a comment.

    The level arrives as text and is checked against the scale here, so that anything else
    (a level outside the scale, no number at all) gets a German message, not a coercion error.
    """

    level = RadioField(_l("Ihre Stufe"), validate_choice=False)
    comment = TextAreaField(
        _l("Kommentar"),
        validators=[max_length(COMMENT_LIMIT)],
    )
    version = VersionField()

    def use_scale(self, catalogue: Catalogue) -> None:
        self.level.choices = choices(
            (str(level.value), f"{level.value} – {level.label}") for level in catalogue.scale
        )

    def validate_level(self, field) -> None:
        if not field.raw_data:
            raise ValidationError(_("Bitte wählen Sie eine Stufe."))
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_("Bitte wählen Sie eine der Stufen der Skala."))

    @property
    def level_value(self) -> int | None:
        """The chosen level as a number (None: none chosen, or not one of the scale)."""
        text = self.level.data
        if (
            self.level.errors
            or not isinstance(text, str)
            or not text.isascii()
            or not text.isdigit()
        ):
            return None
        return int(text)
