"""How long the login still lasts, and „Angemeldet bleiben“: for the warning before it ends;
discarding a kept draft („Eingaben verwerfen“)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth.decorators import login_required
from seal_app.auth.sessions import find_open_session
from seal_app.database import transaction
from seal_app.db_types import utcnow
from seal_app.drafts import kept, tokens
from seal_app.drafts.forms import form_home
from seal_app.drafts.guard import CLEAR_ALL_IN_COOKIE, SAVED_IN_COOKIE, forget_page
from seal_app.security import is_safe_redirect

bp = Blueprint("session", __name__, url_prefix="/session")


def leaves_session_idle(view):
    """Mark a view whose requests do not count as using the session (the status check)."""
    view.leaves_session_idle = True
    return view


def session_times() -> dict | None:
    """Seconds until the current login ends, and whether using it can push that end back."""
    if not current_user.is_authenticated or g.get("user_session") is None:
        return None
    user_session = g.user_session
    now = utcnow()
    idle_end = user_session.last_seen_at + current_app.permanent_session_lifetime
    ends_at = min(idle_end, user_session.expires_at)
    return {
        "active": True,
        "seconds_left": _seconds(ends_at, now),
        "extendable": idle_end < user_session.expires_at,
    }


def _seconds(moment: datetime, now: datetime) -> int:
    return max(int((moment - now).total_seconds()), 0)


@bp.get("/status")
@leaves_session_idle
def status():
    """Asked by the page shortly before the end: another tab may have renewed or ended it."""
    return _answer(session_times())


@bp.post("/renew")
def renew():
    """„Angemeldet bleiben“: counts as using the session now (CSRF-checked like every POST)."""
    times = session_times()
    if times is None:
        return _answer(None)
    key = current_user.session_key
    with transaction():
        user_session = find_open_session(current_user.id, key)
        if user_session is not None:
            user_session.last_seen_at = utcnow()
    return _answer(session_times())


def _answer(times: dict | None):
    response = jsonify(times or {"active": False, "seconds_left": 0, "extendable": False})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/drafts/discard")
@login_required
def discard_draft():
    """„Eingaben verwerfen“: the text kept for one page is deleted, on the server and in the
    browser, and the page is shown as saved."""
    path = request.form.get("path", "")
    if not is_safe_redirect(path):
        return redirect(url_for("main.home"))
    forget_page(current_user.id, path)
    flash(_("Ihre Eingaben wurden verworfen."), "success")
    return redirect(path)


@bp.app_template_global("draft_page")
def page_values() -> dict:
    """For ``base.html``: the login's end, the browser's draft namespace, what to forget."""
    values: dict = {"session_times": session_times(), "draft_namespace": None}
    if current_user.is_authenticated:
        values["draft_namespace"] = tokens.namespace(current_user.id)
    values["drafts_saved"] = session.pop(SAVED_IN_COOKIE, [])
    values["drafts_clear_all"] = session.pop(CLEAR_ALL_IN_COOKIE, False)
    values["draft_notice_files"] = g.get("draft_notice_files")
    values["draft_notice"] = bool(g.get("drafts_shown"))
    values["draft_path"] = form_home()
    values["kept_forms"] = []
    if current_user.is_authenticated and request.endpoint == "main.home":
        values["kept_forms"] = kept.kept_forms(current_user.id)
    return values
