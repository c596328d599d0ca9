"""„Anmeldung und Sicherheit“: one's factors and recovery codes, and the devices logged in."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth import sessions
from seal_app.auth.decorators import login_required
from seal_app.auth.models import SecurityEventKind, UserSession
from seal_app.database import transaction
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.twofactor import devices, passkeys, recovery
from seal_app.twofactor import services as factors
from seal_app.twofactor.blueprint import bp, log_event
from seal_app.twofactor.models import Passkey
from seal_app.twofactor.reauth import recent_authentication_required
from seal_app.views import get_or_404


@bp.get("/account/security")
@login_required
def account():
    user = current_user._get_current_object()
    return render_template(
        "twofactor/account.html",
        required=factors.must_have_factor(user),
        totp=factors.totp_of(user),
        passkeys=passkeys.of_user(user),
        codes_left=len(recovery.unused(user)),
        can_remove_totp=factors.can_remove(user, totp_removed=True),
        can_remove_passkey=factors.can_remove(user, passkeys_removed=1),
    )


@bp.post("/account/second-factor/totp/remove")
@login_required
@recent_authentication_required
def remove_totp():
    user = current_user._get_current_object()
    if factors.totp_of(user) is None:
        return redirect(url_for(".account"))
    if not factors.can_remove(user, totp_removed=True):
        flash(
            _("Ihr Konto braucht einen zweiten Faktor: Richten Sie zuerst einen Passkey ein."),
            "danger",
        )
        return redirect(url_for(".account"))
    with transaction():
        factors.remove_totp(user, actor=user)
        _forget_codes_without_factor(user)
        log_event(SecurityEventKind.SECOND_FACTOR_REMOVED, user)
    flash(_("Die Authenticator-App ist entfernt."), "success")
    return redirect(url_for(".account"))


@bp.post("/account/passkeys/<int:passkey_id>/remove")
@login_required
@recent_authentication_required
def remove_passkey(passkey_id: int):
    user = current_user._get_current_object()
    passkey = get_or_404(Passkey, passkey_id)
    if passkey.user_id != user.id:
        return redirect(url_for(".account"))  # not one's own: nothing to say about it
    if not factors.can_remove(user, passkeys_removed=1):
        flash(
            _("Ihr Konto braucht einen zweiten Faktor: Richten Sie zuerst einen anderen ein."),
            "danger",
        )
        return redirect(url_for(".account"))
    name = passkey.name
    with transaction():
        factors.remove_passkey(passkey, actor=user)
        _forget_codes_without_factor(user)
        log_event(SecurityEventKind.SECOND_FACTOR_REMOVED, user)
    flash(_("Der Passkey „%(name)s“ ist entfernt.", name=name), "success")
    return redirect(url_for(".account"))


def _forget_codes_without_factor(user) -> None:
    """A school account that turned its last factor off keeps no recovery codes."""
    db.session.flush()
    if not factors.has_factor(user):
        recovery.delete_all(user)


@bp.get("/account/devices")
@login_required
def devices_page():
    user = current_user._get_current_object()
    listed = devices.devices(sessions.open_sessions(user), g.user_session.id)
    return render_template("twofactor/devices.html", devices=listed)


@bp.post("/account/devices/<int:session_id>/end")
@login_required
def end_device(session_id: int):
    user = current_user._get_current_object()
    target = db.session.get(UserSession, session_id)
    if target is not None and target.user_id == user.id and target.id != g.user_session.id:
        with transaction():
            target.ended_at = target.ended_at or utcnow()
            log_event(SecurityEventKind.SESSION_ENDED, user)
        flash(_("Die Anmeldung auf dem Gerät ist beendet."), "success")
    return redirect(url_for(".devices_page"))


@bp.post("/account/devices/end-others")
@login_required
def end_other_devices():
    user = current_user._get_current_object()
    with transaction():
        db.session.execute(
            sa.update(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.id != g.user_session.id,
                UserSession.ended_at.is_(None),
            )
            .values(ended_at=utcnow())
        )
        log_event(SecurityEventKind.SESSION_ENDED, user)
    flash(_("Alle anderen Anmeldungen sind beendet."), "success")
    return redirect(url_for(".devices_page"))
