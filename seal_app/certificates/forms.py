"""The office's forms for decisions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import AnyOf, Optional

from seal_app.certificates import shared_wording
from seal_app.certificates.decisions import DecisionValues
from seal_app.certificates.issuing import NUMBER_MAX_LENGTH, number_to_show
from seal_app.certificates.models import OUTCOME_LABELS, Outcome, PrintKind
from seal_app.forms import BaseForm, VersionField, choices, max_length, required
from seal_app.reviews.submission_forms import AdvicePerAreaForm


class DecisionForm(AdvicePerAreaForm):
    """The decision with its rationale; ``for_catalogue`` adds the advice per area."""

    outcome = RadioField(
        _l("Entscheidung"),
        choices=choices((item.value, OUTCOME_LABELS[item]) for item in Outcome),
        validators=[Optional()],
        validate_choice=False,  # an unknown value counts as none chosen
    )
    rationale = TextAreaField(
        _l("Begründung"),
        description=_l("Sie steht in der Rückmeldung an die Schule."),
        validators=[max_length(5000)],
    )
    departure_rationale = TextAreaField(
        _l("Begründung der Abweichung vom Vorschlag"),
        description=_l(
            "Nötig, wenn die Entscheidung nicht dem Vorschlag nach der Vergaberegel folgt."
        ),
        validators=[max_length(5000)],
    )
    strengths = TextAreaField(
        _l("Stärken der Schule"),
        description=_l("Vorbelegt aus den Gutachten, ohne Namen; steht in der Rückmeldung."),
        validators=[max_length(5000)],
    )
    # divergent criteria whose reason goes into the feedback (the page writes the boxes), in
    # the wording the office writes for the school (``shared_wording``)
    shared_reasons = SelectMultipleField(validate_choice=False)
    version = VersionField()

    @classmethod
    def for_catalogue(cls, catalogue, **kwargs):
        codes = [item.code for area in catalogue.areas for item in area.criteria]
        with_texts = type(cls.__name__, (cls,), shared_wording.fields_for(codes))
        return AdvicePerAreaForm.for_catalogue.__func__(with_texts, catalogue, **kwargs)

    def share_text_field(self, code: str):
        return self[shared_wording.field_name(code)]

    def fill_shared_texts(self, settled, stored: dict[str, str] | None) -> None:
        """Start each divergent criterion's text for the school from what was stored, else
        from the jury's reason."""
        for row in settled:
            code = row.criterion.code
            self.share_text_field(code).data = (stored or {}).get(code) or row.agreed.note

    def shared_texts(self) -> dict[str, str]:
        names = {field.name for field in self}
        return {
            code: self.share_text_field(code).data or ""
            for code in self.shared_reasons.data or ()
            if shared_wording.field_name(code) in names
        }

    def values(self) -> DecisionValues:
        chosen = self.outcome.data
        return DecisionValues(
            outcome=Outcome(chosen) if chosen in Outcome._value2member_map_ else None,
            rationale=self.rationale.data or "",
            departure_rationale=self.departure_rationale.data or "",
            strengths=self.strengths.data or "",
            advice=self.advice(),
            shared_reasons=tuple(self.shared_reasons.data or ()),
            shared_texts=self.shared_texts(),
        )


class DiscardForm(BaseForm):
    version = VersionField()


class ReleaseForm(BaseForm):
    confirmed = BooleanField(
        _l(
            "Ich gebe die vorbereiteten Entscheidungen frei. Die Schulen sehen ihr Ergebnis "
            "sofort; danach lassen sie sich nicht mehr ändern."
        )
    )


class VerifyFileForm(BaseForm):
    """A PDF dropped at the public verification page: checked, never stored."""

    file = FileField(_l("Urkunde als PDF"), description=_l("Höchstens 20 MB."))

    def read(self, limit: int) -> bytes | None:
        """The file's bytes; None (with the message at the field) if missing or too large."""
        upload = self.file.data
        if upload is None or not getattr(upload, "filename", ""):
            self.file.errors = [_("Bitte wählen Sie eine PDF-Datei aus.")]
            return None
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            self.file.errors = [_("Die Datei ist größer als 20 MB.")]
            return None
        return data


class RevokeForm(BaseForm):
    reason = TextAreaField(
        _l("Grund des Widerrufs"),
        description=_l(
            "Er steht auf der öffentlichen Prüfseite der Urkunde und in der E-Mail an die Schule."
        ),
        validators=[required(_l("Bitte nennen Sie den Grund für den Widerruf.")), max_length(2000)],
    )
    version = VersionField()


def _certificate_number(form, field) -> None:
    if number_to_show(field.data or "") is None:
        raise ValidationError(
            _(
                "Bitte geben Sie die Nummer so ein, wie sie auf der Urkunde steht, "
                "zum Beispiel 2027-014 oder GS-2013/07."
            )
        )


class NumberForm(BaseForm):
    """The certificate number typed by anyone who holds a certificate (a GET form)."""

    class Meta:
        csrf = False

    nummer = StringField(
        _l("Nummer der Urkunde"),
        description=_l(
            "Sie steht unten links auf der Urkunde, zum Beispiel 2027-014 oder, bei älteren "
            "Urkunden aus Papier, GS-2013/07."
        ),
        validators=[
            required(_l("Bitte geben Sie die Nummer der Urkunde ein.")),
            max_length(NUMBER_MAX_LENGTH),
            _certificate_number,
        ],
        # a text keyboard: numbers of paper certificates hold letters and a slash
        render_kw={
            "autocomplete": "off",
            "inputmode": "text",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )


class PrintForm(BaseForm):
    """Start printing the round's certificates or feedback letters (the button says which)."""

    kind = HiddenField(validators=[AnyOf([item.value for item in PrintKind])])
