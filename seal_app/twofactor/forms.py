"""Forms of the second factor: codes, set-up, passkeys, confirming who one is."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField

from seal_app.auth.forms import current_password_field
from seal_app.forms import BaseForm, max_length, required

# A one-time code: the browser may fill it from an SMS or app, phones show digits, a pasted
# code with spaces is fine (spaces are ignored when checking).
CODE_INPUT = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "autocapitalize": "off",
}
CODE_LIMIT = 200  # anything longer is no code; said as „not right“, never as an error page


class CodeForm(BaseForm):
    code = StringField(
        _l("Code aus der Authenticator-App"),
        description=_l("Sechs Ziffern; Leerzeichen dürfen Sie mit eingeben."),
        validators=[required(_l("Bitte geben Sie den Code aus Ihrer App ein."))],
        render_kw=CODE_INPUT,
    )


class RecoveryCodeForm(BaseForm):
    recovery_code = StringField(
        _l("Wiederherstellungscode"),
        description=_l("Einer der zehn Codes, die Sie beim Einrichten erhalten haben."),
        validators=[required(_l("Bitte geben Sie einen Wiederherstellungscode ein."))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
    )


class PasskeyForm(BaseForm):
    """Filled by ``passkeys.js`` with the browser's answer to the ceremony."""

    credential = HiddenField()


class TotpSetupForm(BaseForm):
    secret_token = HiddenField()  # the secret shown, encrypted: nothing is stored before
    code = StringField(
        _l("Code aus der App zur Bestätigung"),
        description=_l("Sechs Ziffern, wie die App sie gerade zeigt."),
        validators=[required(_l("Bitte geben Sie den Code ein, den Ihre App zeigt."))],
        render_kw=CODE_INPUT,
    )


class PasskeyRegisterForm(BaseForm):
    name = StringField(
        _l("Name des Passkeys"),
        description=_l(
            "Damit Sie ihn später erkennen, z. B. „Laptop Büro“ oder „Sicherheitsschlüssel“."
        ),
        validators=[
            required(_l("Bitte geben Sie dem Passkey einen Namen.")),
            max_length(100),
        ],
        render_kw={"autocomplete": "off"},
    )
    credential = HiddenField()


class ConfirmPasswordForm(BaseForm):
    confirm_password = current_password_field()


class ConfirmCodeForm(BaseForm):
    confirm_code = StringField(
        _l("Code aus der Authenticator-App"),
        validators=[required(_l("Bitte geben Sie den Code aus Ihrer App ein."))],
        render_kw=CODE_INPUT,
    )
