"""Requests sent from another site, and answers that must not set a session cookie.

A form on another site posting here arrives without the SameSite=Lax login cookie. Had the
answer put anything into the (then empty) session — a flashed message, a CSRF token for the
error page's forms — its new cookie would replace the visitor's login in their browser. So such
requests are refused before anything reads them, and their answer never saves the session."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import lazy_gettext as _l

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FROZEN = "session_frozen"

REFUSED = (
    _l("Von einer anderen Website gesendet"),
    _l(
        "Dieses Formular wurde von einer anderen Website aus gesendet. Aus Sicherheitsgründen "
        "wird es nicht angenommen; es wurde nichts geändert. Bitte öffnen Sie die Seite direkt "
        "auf dieser Website und senden Sie das Formular dort."
    ),
)


class GuardedSessionInterface(SecureCookieSessionInterface):
    """The usual signed-cookie session, which writes no cookie for a frozen request."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if g.get(FROZEN):
            return
        super().save_session(app, session, response)


def freeze_session() -> None:
    """Nothing this request puts into the session reaches the browser."""
    g.session_frozen = True


def freeze_absent_session() -> None:
    """For a refusal page: a request that carried no session cookie gets none back."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        freeze_session()


def refuse_from_other_sites():
    """An unsafe request the browser marks as sent from another site: a German 403 page."""
    if request.method in SAFE_METHODS or request.headers.get("Sec-Fetch-Site") != "cross-site":
        return None
    freeze_session()
    from seal_app.errors import refusal_page  # the error pages import the request guards

    return refusal_page(str(REFUSED[0]), str(REFUSED[1]), 403)


def register(app: Flask) -> None:
    app.session_interface = GuardedSessionInterface()
    app.before_request(refuse_from_other_sites)
