"""The addresses of the second factor's forms opened with GET: a phone restoring a tab, a
bookmark, the back button. Each leads to the page the form belongs to, never to a 405 page;
nothing is changed by them. Where the form's answer showed the recovery codes, the page says
that they are shown only once and where new ones are made."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.twofactor import services as factors
from seal_app.twofactor.blueprint import bp, next_target


def _to_own_page(endpoint: str, codes_note: bool = False):
    """The page for a logged-in person; the code page (or the set-up, without a factor yet)
    while a login waits for its second step; the login otherwise."""
    if not current_user.is_authenticated:
        pending = factors.pending_user()
        if pending is not None:  # the password is given: the code page, or the set-up
            return redirect(factors.second_step(pending, next_target()))
        return redirect(url_for("auth.login"))
    if codes_note and factors.has_factor(current_user._get_current_object()):
        flash(
            _(
                "Wiederherstellungscodes werden nur einmal angezeigt. Wenn Sie sie nicht "
                "gespeichert haben, erzeugen Sie hier unter „Wiederherstellungscodes“ neue."
            ),
            "info",
        )
        return redirect(url_for(".account"))
    return redirect(url_for(endpoint))


@bp.get("/account/second-factor/totp", endpoint="totp_reopened")
@bp.get("/account/passkeys", endpoint="passkeys_reopened")
@bp.get("/account/recovery-codes", endpoint="recovery_codes_reopened")
def codes_reopened():
    return _to_own_page(".setup", codes_note=True)


@bp.get("/account/second-factor/totp/remove", endpoint="remove_totp_reopened")
@bp.get("/account/passkeys/<int:passkey_id>/remove", endpoint="remove_passkey_reopened")
def removal_reopened(passkey_id: int | None = None):
    return _to_own_page(".account")


@bp.get("/account/devices/<int:session_id>/end", endpoint="end_device_reopened")
@bp.get("/account/devices/end-others", endpoint="end_others_reopened")
def device_end_reopened(session_id: int | None = None):
    return _to_own_page(".devices_page")
