"""The one permission check for views: who must be logged in, with which role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from seal_app.auth.models import Role
from seal_app.extensions import login_manager
from seal_app.twofactor import services as factors


def check_roles(*roles: Role):
    """Return None when the current user has one of ``roles``, else the response to send.

    A login with the password alone, still waiting for its second factor, goes to the code
    page (or to setting a factor up, when the account has none yet) and then back here."""
    waiting = factors.pending_user()
    if waiting is not None:
        return redirect(factors.second_step(waiting, _here()))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    return None


def _here() -> str:
    """Where to return after the second factor: this page, if it can be shown by GET."""
    if request.method != "GET":
        return url_for("main.home")
    return request.full_path if request.query_string else request.path


def roles_required(*roles: Role) -> Callable:
    """Decorate a view: anonymous users go to the login page, other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            refusal = check_roles(*roles)
            return refusal if refusal is not None else view(*args, **kwargs)

        wrapped.login_protected = True  # its forms' text is kept when the login has ended
        return wrapped

    return decorator


def login_required(view: Callable) -> Callable:
    return roles_required(*Role)(view)
