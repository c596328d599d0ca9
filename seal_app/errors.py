"""Friendly German error pages (and JSON for the health check)."""

from __future__ import annotations

import contextlib
import errno
import logging

import redis.exceptions
import sqlalchemy as sa
from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from seal_app.cross_site import freeze_absent_session
from seal_app.database import ConflictError
from seal_app.drafts.guard import typed_texts
from seal_app.extensions import db, login_manager

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Die Anfrage war fehlerhaft"),
        _l(
            "Das Formular konnte nicht verarbeitet werden. Bitte laden Sie die Seite neu "
            "und versuchen Sie es noch einmal."
        ),
    ),
    403: (
        _l("Kein Zugriff"),
        _l(
            "Sie haben keine Berechtigung für diese Seite. Wenn Sie glauben, dass das ein "
            "Fehler ist, wenden Sie sich an die Geschäftsstelle."
        ),
    ),
    404: (
        _l("Seite nicht gefunden"),
        _l(
            "Diese Seite gibt es nicht oder nicht mehr. Prüfen Sie die Adresse oder gehen "
            "Sie zur Startseite."
        ),
    ),
    405: (_l("Nicht erlaubt"), _l("Diese Aktion ist auf dieser Seite nicht möglich.")),
    409: (
        _l("Nicht mehr änderbar"),
        _l(
            "Dieser Antrag ist eingereicht und kann nicht mehr geändert werden. Ihre Eingaben "
            "wurden nicht gespeichert."
        ),
    ),
    413: (
        _l("Die Datei ist zu groß"),
        _l("Die gesendeten Daten sind größer als erlaubt. Bitte wählen Sie eine kleinere Datei."),
    ),
    429: (
        _l("Zu viele Versuche"),
        _l(
            "Sie haben es in kurzer Zeit zu oft versucht. Bitte warten Sie einige Minuten "
            "und versuchen Sie es dann noch einmal."
        ),
    ),
    500: (
        _l("Ein Fehler ist aufgetreten"),
        _l(
            "Auf unserer Seite ist ein Fehler aufgetreten. Ihre Daten wurden nicht "
            "verändert. Bitte versuchen Sie es später noch einmal."
        ),
    ),
}
CSRF_MESSAGE = (
    _l("Das Formular ist abgelaufen"),
    _l(
        "Aus Sicherheitsgründen gilt ein Formular nur eine begrenzte Zeit. Bitte laden Sie "
        "die Seite neu und senden Sie es noch einmal."
    ),
)

# The last resort for a unit of work that collided with another one and was not caught by a
# form (those show the stale-edit state with what was typed): nothing was stored.
CONFLICT_MESSAGE = (
    _l("Gleichzeitig geändert"),
    _l(
        "Im selben Moment wurden dieselben Daten von jemand anderem gespeichert. Ihre Änderung "
        "wurde deshalb nicht gespeichert. Bitte laden Sie die Seite neu, prüfen Sie den "
        "jetzigen Stand und versuchen Sie es dann noch einmal."
    ),
)

# A part the service needs is not reachable (the database restarting, Redis gone): nothing of
# the request was stored, and it will work again shortly.
UNAVAILABLE_MESSAGE = (
    _l("Der Dienst ist gerade nicht erreichbar"),
    _l(
        "Ein Teil des Dienstes antwortet gerade nicht. Ihre Eingaben wurden nicht "
        "gespeichert. Bitte versuchen Sie es in einigen Minuten noch einmal."
    ),
)
STORAGE_FULL_MESSAGE = (
    _l("Der Speicherplatz ist voll"),
    _l(
        "Der Speicherplatz des Dienstes ist gerade voll. Ihre Eingaben und Dateien wurden "
        "nicht gespeichert. Bitte versuchen Sie es später noch einmal und sagen Sie der "
        "Geschäftsstelle Bescheid, wenn es so bleibt."
    ),
)
UNREACHABLE = (
    sa.exc.OperationalError,  # connection refused or closed, the server shutting down
    sa.exc.InterfaceError,
    sa.exc.PendingRollbackError,
    sa.exc.TimeoutError,  # no connection free in the pool
)
FULL = (errno.ENOSPC, errno.EDQUOT)


def register(app: Flask) -> None:
    @app.errorhandler(sa.exc.DBAPIError)
    def database_error(error: sa.exc.DBAPIError):
        if not (isinstance(error, UNREACHABLE) or error.connection_invalidated):
            raise error  # a programming error: the 500 page, with its traceback in the log
        log.warning("database unreachable: %s", type(error.orig).__name__)
        return _render_without_database(503, *UNAVAILABLE_MESSAGE)

    for unreachable in UNREACHABLE[2:]:
        app.register_error_handler(
            unreachable, lambda _error: _render_without_database(503, *UNAVAILABLE_MESSAGE)
        )

    @app.errorhandler(redis.exceptions.ConnectionError)
    @app.errorhandler(redis.exceptions.TimeoutError)
    def service_unreachable(error: redis.exceptions.RedisError):
        log.warning("redis unreachable: %s", type(error).__name__)
        return _render_without_database(503, *UNAVAILABLE_MESSAGE)

    @app.errorhandler(OSError)
    def storage_error(error: OSError):
        if error.errno not in FULL:
            raise error
        log.error("storage full: %s", error.strerror)
        return _render_without_database(507, *STORAGE_FULL_MESSAGE)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        freeze_absent_session()  # no new cookie to replace a login the browser withheld
        return _render(400, *CSRF_MESSAGE)

    @app.errorhandler(ConflictError)
    def conflict_error(error: ConflictError):
        return _render(409, *CONFLICT_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:
            return error.response  # a page made for this refusal, e.g. a form kept on 429
        code = error.code or 500
        if code not in MESSAGES:
            return error
        return _render(code, *MESSAGES[code])

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        original = error.original_exception
        if isinstance(original, UNREACHABLE) or getattr(original, "connection_invalidated", 0):
            # raised outside the view (e.g. by an after-request hook): the same 503 page
            log.warning("database unreachable: %s", type(original).__name__)
            return _render_without_database(503, *UNAVAILABLE_MESSAGE)
        db.session.rollback()
        try:
            return _render(500, *MESSAGES[500])
        except sa.exc.SQLAlchemyError:  # the page itself needs the database, which is gone
            return _render_without_database(500, *MESSAGES[500])


def refusal_page(title: str, text: str, code: int = 409):
    """A refusal that shows what was typed, so that nothing is lost (e.g. a request for more
    evidence answered by a colleague in the meantime)."""
    return _render(code, title, text)


def _render_without_database(code: int, title, text):
    """The page for a request the database or storage could not serve: drawn without asking
    the database again (the page header shows the visitor as not logged in)."""
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # no user query against a lost server
    try:
        typed = typed_texts()  # a login-protected form names its owner in its draft token
    except sa.exc.SQLAlchemyError:
        typed = []
    page = render_template("errors/error.html", code=code, title=title, text=text, typed=typed)
    return page, code, {"Retry-After": "60"} if code == 503 else {}


def _render(code: int, title, text):
    page = render_template(
        "errors/error.html", code=code, title=title, text=text, typed=typed_texts()
    )
    return page, code
