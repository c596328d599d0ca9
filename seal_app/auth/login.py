"""Flask-Login setup: loading the user from the server-side session, logging in and out."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import Flask, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from seal_app.auth import sessions
from seal_app.auth.models import User
from seal_app.drafts import services as drafts
from seal_app.extensions import db, login_manager
from seal_app.twofactor import services as factors


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.before_request(_note_session_use)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The cookie holds "user id:session key"; the session must still be open on the server."""
    user_id, _, key = session_id.partition(":")
    if not user_id.isascii() or not user_id.isdigit() or not key:
        return None
    found = db.session.execute(_session_query(), sessions.key_parameters(key)).first()
    if found is None or not sessions.still_counts(found[0], int(user_id)):
        return None
    user_session, has_factor, has_drafts = found
    if not user_session.user.is_enabled:
        return None
    g.user_session = user_session
    user = user_session.user
    user.session_key = key
    user.second_factor_pending = factors.waits_for_factor(user, user_session, bool(has_factor))
    user.may_have_drafts = bool(has_drafts)
    return user


@functools.cache
def _session_query() -> sa.Select:
    """The session, its user, whether the user has a second factor and kept drafts (built
    once)."""
    return sessions.session_query().add_columns(
        factors.has_factor_column(User.id), drafts.has_drafts_column(User.id)
    )


def _note_session_use() -> None:
    """Load the user before the view runs, so the session's last use is stored on its own."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    if getattr(current_app.view_functions.get(request.endpoint), "leaves_session_idle", False):
        return  # asking how long the session lasts is no use of it
    if sessions.touch(g.user_session):
        db.session.commit()


def log_in(user: User, second_factor_given: bool = False) -> None:
    """Start a fresh session for ``user`` (inside the caller's transaction).

    The old cookie session is cleared (keeping only the chosen language), so nothing planted
    before the login survives it. Never use Flask-Login's ``login_user`` directly, nor its
    "remember me" cookie: the session must exist on the server. ``second_factor_given``: the
    user has just shown it in the session this one replaces (a changed password).
    """
    language = session.get("language")
    end_current_session()
    if language:
        session["language"] = language
    sessions.start_session(user, request.user_agent.string, get_remote_address())
    login_user(user)
    g.user_session = sessions.find_open_session(user.id, user.session_key)
    if second_factor_given:
        factors.factor_given(g.user_session)
    user.second_factor_pending = factors.waits_for_factor(user, g.user_session)


def complete_login(user: User) -> None:
    """The second factor was given in this request's session (in the caller's transaction):
    the login is complete, under a new cookie key."""
    factors.factor_given(g.user_session)
    sessions.renew_key(g.user_session, user)
    user.second_factor_pending = False
    login_user(user)


def end_current_session() -> None:
    """End the server-side session of this request, if any (one still waiting for its second
    factor too), and clear the cookie session."""
    if not current_user.is_anonymous:
        sessions.end_session(current_user.session_key)
    logout_user()
    session.clear()
