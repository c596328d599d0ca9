"""Friendly German error pages (and JSON for the health check)."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from seal_app.cross_site import freeze_absent_session
from seal_app.database import ConflictError
from seal_app.drafts.guard import typed_texts
from seal_app.extensions import db

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


def register(app: Flask) -> None:
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
        db.session.rollback()
        return _render(500, *MESSAGES[500])


def refusal_page(title: str, text: str, code: int = 409):
    """A refusal that shows what was typed, so that nothing is lost (e.g. a request for more
    evidence answered by a colleague in the meantime)."""
    return _render(code, title, text)


def _render(code: int, title, text):
    page = render_template(
        "errors/error.html", code=code, title=title, text=text, typed=typed_texts()
    )
    return page, code
