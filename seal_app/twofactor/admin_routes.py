"""A lost factor: another office account resets it from the user's page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role, SecurityEventKind, User
from seal_app.database import transaction
from seal_app.twofactor import passkeys, recovery
from seal_app.twofactor import services as factors
from seal_app.twofactor.blueprint import bp, log_event
from seal_app.twofactor.reauth import recent_authentication_required
from seal_app.views import get_or_404


@bp.route("/office/users/<int:user_id>/second-factor/reset", methods=["GET", "POST"])
@roles_required(Role.OFFICE)
@recent_authentication_required
def reset(user_id: int):
    user = get_or_404(User, user_id)
    own = user.id == current_user.id
    if request.method == "POST" and not own:
        with transaction():
            factors.reset(user, actor=current_user._get_current_object())
            log_event(SecurityEventKind.SECOND_FACTOR_RESET, user)
        flash(
            _(
                "Der zweite Faktor von %(name)s ist zurückgesetzt. Bei der nächsten Anmeldung "
                "richtet %(name)s ihn neu ein.",
                name=user.name,
            ),
            "success",
        )
        return redirect(url_for("accounts.edit_user", user_id=user.id))
    return render_template(
        "twofactor/reset.html",
        user=user,
        own=own,
        has_totp=factors.totp_of(user) is not None,
        passkeys=passkeys.of_user(user),
        codes_left=len(recovery.unused(user)),
    )
