"""Guards on every request (size, NUL bytes), security headers on every response, and
checking where a redirect may go."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from flask_login import current_user

from seal_app import cross_site

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Pages no browser or proxy may keep even for anonymous visitors: a login form, a one-time
# link's page (it names the account), a form that echoes an e-mail address.
NO_STORE_ENDPOINTS = frozenset(
    {"auth.login", "auth.set_password", "auth.set_password_form", "accounts.register"}
)

# A one-time link to set a password: its token is a password for a while.
SECRET_LINK = re.compile(r"(/password/set/)[A-Za-z0-9_\-]+")
REQUEST_LOGS = ("werkzeug", "gunicorn.access")  # the development server's, gunicorn's


class HiddenSecretLinks(logging.Filter):
    """Writes a request line with a one-time link's token as „/password/set/[…]“."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SECRET_LINK.search(message):
            record.msg, record.args = SECRET_LINK.sub(r"\1[…]", message), ()
        return True


def hide_secret_links_in_request_logs() -> None:
    """No access log keeps a token: the link's page moves it out of the address, and the
    first request, which still carries it, is logged without it."""
    for name in REQUEST_LOGS:
        logger = logging.getLogger(name)
        if not any(isinstance(item, HiddenSecretLinks) for item in logger.filters):
            logger.addFilter(HiddenSecretLinks())


def accepts_uploads(view: Callable) -> Callable:
    """Mark a view whose form carries files: only such views take bodies beyond
    ``MAX_FORM_BYTES`` (up to ``MAX_CONTENT_LENGTH``)."""
    view.accepts_uploads = True
    return view


def register_request_guards(app: Flask) -> None:
    """Check each request before anything reads its body (so: before CSRFProtect's check)."""
    cross_site.register(app)  # first: a form from another site is refused unread

    @app.before_request
    def guard_request() -> None:
        view = current_app.view_functions.get(request.endpoint)
        if not getattr(view, "accepts_uploads", False):
            request.max_content_length = current_app.config["MAX_FORM_BYTES"]
        if _carries_nul(request):
            abort(400)  # no person types NUL; PostgreSQL cannot store it in text
        # (File names are checked by the upload store, which explains its refusal.)


def _carries_nul(incoming) -> bool:
    texts = [incoming.headers.get("User-Agent", "")]
    for fields in (incoming.args, incoming.form):
        texts += [key + "".join(values) for key, values in fields.lists()]
    return any("\x00" in text for text in texts)


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint == "static":  # the same for everyone: see static_files
            return response
        if request.endpoint in NO_STORE_ENDPOINTS or (
            current_user and current_user.is_authenticated
        ):
            headers["Cache-Control"] = "no-store"
        return response


def is_safe_redirect(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative ``//``, no control
    characters (a line break would split the Location header; browsers drop tabs and line
    breaks from URLs, so a slash, a tab and ``/host`` would become ``//host``)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(unicodedata.category(character) == "Cc" for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target
