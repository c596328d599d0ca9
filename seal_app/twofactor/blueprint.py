"""The blueprint of the second factor's pages, and what its routes share."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_limiter.util import get_remote_address

from seal_app.auth import security_log
from seal_app.auth.models import SecurityEventKind, User
from seal_app.security import is_safe_redirect

bp = Blueprint("twofactor", __name__)


def log_event(kind: SecurityEventKind, user: User) -> None:
    """A security log entry about this request (in the caller's transaction)."""
    security_log.record(kind, user.email, user, get_remote_address(), request.user_agent.string)


def next_target(default: str = "main.home") -> str:
    """Where to go on: the page that sent the user here, if it is on this site."""
    target = request.values.get("next")
    return target if is_safe_redirect(target) else url_for(default)
