"""Form helpers shared by all domains."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import Flask
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from jinja2 import pass_context
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    PasswordField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms import Form as WTForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, StopValidation
from wtforms.widgets import HiddenInput

from seal_app.auth import passwords
from seal_app.drafts.forms import DraftTokenCSRF, restore_kept_draft, token_input


def required(message: str | None = None) -> DataRequired:
    return DataRequired(message=message or _l("Bitte füllen Sie dieses Feld aus."))


RESERVED_FOR_EXAMPLES = ".invalid"


def checked_email_address(text: str) -> str:
    """The address, normalised; raises ``EmailNotValidError`` for anything else.

    Names under the top-level domain „.invalid“ (RFC 6761) pass too, though email_validator
    refuses every reserved name: they can never belong to anyone, so no typing error hides
    behind them, and the demo gives them to its schools and people so that no message of a
    demo leaves the machine. The rest of such an address is checked like any other (as a
    „.test“ name, the one reserved name email_validator accepts when asked).
    """
    local, at, domain = text.strip().rpartition("@")
    if at and domain.lower().endswith(RESERVED_FOR_EXAMPLES):
        stem = domain[: -len(RESERVED_FOR_EXAMPLES)]
        checked = validate_email(
            f"{local}@{stem}.test", check_deliverability=False, test_environment=True
        )
        return checked.normalized.removesuffix(".test") + RESERVED_FOR_EXAMPLES
    return validate_email(text, check_deliverability=False).normalized


class EmailAddress:
    """A valid e-mail address (see ``checked_email_address``), with a German message."""

    def __call__(self, form, field) -> None:
        try:
            checked_email_address(field.data or "")
        except EmailNotValidError as error:
            raise ValidationError(
                _("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@schule.de.")
            ) from error


def email_address() -> EmailAddress:
    return EmailAddress()


def normalise_newlines(value):
    """Browsers send each line break as CR LF: keep it as one LF, so that a line break counts
    as one character in the limit, as the person typing sees it, and is stored that way."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


# control and format characters, and the line and paragraph separators U+2028/U+2029: with
# them every character ``str.splitlines()`` splits on (\x0b, \x0c, \x1c-\x1e and \x85 are Cc)
NOT_ON_ONE_LINE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def has_control_characters(text: str) -> bool:
    """Line breaks of any kind, control characters or invisible format characters (such as a
    right-to-left override): nothing a name, address or title on one line holds."""
    return any(unicodedata.category(character) in NOT_ON_ONE_LINE for character in text)


def single_line(form, field) -> None:
    """A one-line field: its value goes into page titles, e-mail subjects and greetings."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(
            _("Bitte schreiben Sie dies in eine Zeile, ohne Zeilenumbrüche und Steuerzeichen.")
        )


def plausible_date(form, field) -> None:
    """Dates far outside any use here (year 1 or 9999) are typing errors, and date arithmetic
    on them overflows."""
    if field.data and not 1900 <= field.data.year <= 2999:
        raise ValidationError(_("Bitte geben Sie ein Datum zwischen 1900 und 2999 an."))


def existing_date(form, field) -> None:
    """Something typed that is no date (30 February, letters) gets its own message, not the
    one for an empty field, nor WTForms' English one."""
    typed = (field.raw_data or [""])[0].strip() if field.raw_data else ""
    if typed and field.data is None:
        field.errors[:] = []
        raise StopValidation(_("Dieses Datum gibt es nicht. Bitte prüfen Sie Tag, Monat und Jahr."))


class BaseForm(FlaskForm):
    """The base of every form: text fields receive line breaks as one LF; dates must be
    plausible. Beside its CSRF token each form carries a draft token, and on its page's GET
    it shows again what its owner typed before the login ended (``seal_app.drafts``); hidden inputs
    carry no id."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not args and "formdata" not in kwargs:
            restore_kept_draft(self)

    class Meta:
        csrf_class = DraftTokenCSRF

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = unbound_field.kwargs.get("filters") or ()
                options = {**options, "filters": (normalise_newlines, *filters)}
                if not issubclass(field_class, TextAreaField):
                    validators = unbound_field.kwargs.get("validators") or ()
                    options = {**options, "validators": [*validators, single_line]}
            if issubclass(field_class, DateField):
                validators = unbound_field.kwargs.get("validators") or ()
                options = {
                    **options,
                    "validators": [existing_date, *validators, plausible_date],
                }
            return unbound_field.bind(form=form, **options)

        def render_field(self, field, render_kw):
            # A hidden input needs no id (no label points at it), and a page with two forms
            # would otherwise hold two elements with the id „csrf_token“ or „version“.
            if isinstance(field.widget, HiddenInput):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class MaxLength:
    """Refuse text longer than ``limit`` characters, saying by how many.

    Unlike WTForms' ``Length`` it sets no ``maxlength`` flag: the browser would silently cut
    pasted text there. ``shown`` puts the limit as a hint next to the field (the ``input``
    macro reads the ``character_limit`` flag, which is not rendered as an attribute).
    """

    def __init__(self, limit: int, shown: bool = True) -> None:
        self.limit = limit
        self.field_flags = {"character_limit": limit} if shown else {}

    def __call__(self, form, field) -> None:
        over = len(field.data or "") - self.limit
        if over > 0:
            raise ValidationError(
                _(
                    "Der Text ist %(over)s Zeichen zu lang (höchstens %(limit)s Zeichen).",
                    over=format_number(over),
                    limit=format_number(self.limit),
                )
            )


def max_length(limit: int, shown: bool = True) -> MaxLength:
    return MaxLength(limit, shown)


class StrongPassword:
    """Refuse short and easily guessed passwords (zxcvbn), naming why in German."""

    def __call__(self, form, field) -> None:
        # of an e-mail address only the part before the @: a school's domain such as
        # „schule-teterow.de“ is no personal word
        texts = [text.partition("@")[0] for text in getattr(form, "personal_words", [])]
        words = [word for text in texts for word in re.split(r"[\s._-]+", text) if len(word) > 2]
        problems = passwords.password_problems(field.data or "", words)
        if problems:
            raise ValidationError(problems[0])


class VersionField(HiddenField):
    """The version of the record the form was built from, to refuse stale edits."""

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = int(text) if text.isascii() and text.isdigit() else None  # "²" is a digit


def choices(pairs) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


@dataclass(frozen=True)
class FieldError:
    """One line of the error summary: the message, the field's label and where it is."""

    target: str | None  # the id of the field to jump to
    label: str
    message: str


def field_errors_of(forms: Iterable[WTForm]) -> list[FieldError]:
    errors: list[FieldError] = []
    for form in forms:
        for field in form:
            errors.extend(_errors_of_field(field, ""))
        errors.extend(FieldError(None, "", str(message)) for message in form.form_errors)
    return errors


def _errors_of_field(field, context: str) -> Iterator[FieldError]:
    if isinstance(field, FormField):
        for subfield in field.form:
            yield from _errors_of_field(subfield, str(field.label.text))
        return
    if isinstance(field, FieldList):
        for entry in field.entries:
            yield from _errors_of_field(entry, context)
        return
    if field.type == "CSRFTokenField":
        label, target = _("Formular"), "content"
    else:
        label = str(field.label.text)
        label, target = (f"{context} – {label}" if context else label), field.id
        if isinstance(field.widget, HiddenInput):
            target = "content"  # rendered without id
    for message in field.errors:
        yield FieldError(target, label, str(message))


@pass_context
def page_errors(context) -> list[FieldError]:
    """Every error of every form the view passed to the template (also inside a list or dict),
    so that base.html shows them above the heading and no page can forget to."""
    forms: list[WTForm] = []
    for value in context.get_all().values():
        if isinstance(value, dict):
            candidates = list(value.values())
        elif isinstance(value, list | tuple):
            candidates = list(value)
        else:
            candidates = [value]
        for candidate in candidates:
            if isinstance(candidate, WTForm) and all(candidate is not f for f in forms):
                forms.append(candidate)
    return field_errors_of(form for form in forms if form.errors)


def register(app: Flask) -> None:
    app.jinja_env.globals["page_errors"] = page_errors
    app.jinja_env.globals["draft_token_input"] = token_input  # for forms written by hand
    app.jinja_env.filters["format_number"] = format_number
