"""Forms for logging in and setting passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo

from seal_app.auth import passwords
from seal_app.forms import BaseForm, StrongPassword, max_length, required


def current_password_field() -> PasswordField:
    """The password of the person typing it (login, confirming it is them)."""
    return PasswordField(
        _l("Passwort"),
        validators=[
            required(_l("Bitte geben Sie Ihr Passwort ein.")),
            max_length(passwords.PASSWORD_MAX_LENGTH, shown=False),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class LoginForm(BaseForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            required(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")),
            max_length(254, shown=False),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = current_password_field()


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        description=_l("Die Adresse, mit der Sie sich anmelden."),
        validators=[
            required(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")),
            max_length(254, shown=False),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )


class NewPasswordMixin:
    new_password = PasswordField(
        _l("Neues Passwort"),
        description=_l(
            "Mindestens 10 Zeichen. Gut zu merken und schwer zu erraten sind mehrere Wörter."
        ),
        validators=[required(_l("Bitte geben Sie ein neues Passwort ein.")), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            required(_l("Bitte wiederholen Sie das neue Passwort.")),
            EqualTo("new_password", message=_l("Die beiden Passwörter stimmen nicht überein.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(NewPasswordMixin, BaseForm):
    pass


class ChangePasswordForm(NewPasswordMixin, BaseForm):
    current_password = PasswordField(
        _l("Bisheriges Passwort"),
        validators=[required(_l("Bitte geben Sie Ihr bisheriges Passwort ein."))],
        render_kw={"autocomplete": "current-password"},
    )
