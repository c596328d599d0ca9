"""Structured logs: one JSON object per line, from the standard library's ``logging``.

Every request writes one access line itself (logger ``seal_app.access``: request id, user
id, route, method, path, status, duration), and every line written during a request carries
its request id (from ``X-Request-ID`` when it looks like one, else a new one; echoed in the
response). Nothing that identifies or unlocks an account belongs in a log: lines are built
without addresses, names or query strings, and ``scrub`` removes what slips through anyway
(e-mail addresses, one-time links, passwords, tokens) as a safety net.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request, session
from flask.logging import default_handler

from seal_app.security import SECRET_LINK

ACCESS = logging.getLogger("seal_app.access")
REQUEST_ID_HEADER = "X-Request-ID"
GIVEN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{8,64}")
SCRUBBED = (
    (SECRET_LINK, r"\1[…]"),
    (
        re.compile(
            r"(?i)\b(password|passwort|passwd|secret|token|csrf_token|api_key)"
            r"(['\"]?\s*[:=]\s*['\"]?)[^\s'\",&;]+"
        ),
        r"\1\2[…]",
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]{8,}"), r"\1 […]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"), "[E-Mail]"),
)
# attributes every LogRecord has; anything else was passed as ``extra`` and is written out
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def scrub(text: str) -> str:
    """``text`` without e-mail addresses, one-time links, passwords and tokens."""
    for pattern, replacement in SCRUBBED:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, request id, and any
    ``extra`` fields; an exception as its scrubbed traceback text."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" not in record.__dict__:
            line["request_id"] = request_id()
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return scrub(json.dumps(line, ensure_ascii=False, default=str))


class ScrubFilter(logging.Filter):
    """For a handler that does not write JSON: the message scrubbed (see ``scrub``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    return handler


def configure_process(level: int = logging.INFO) -> None:
    """JSON lines on standard error for this process (web worker, task worker), once; a
    process whose logging is set up already (gunicorn's config) is left as it is."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(json_handler())
    root.setLevel(min(root.level or logging.WARNING, logging.WARNING))
    logging.getLogger("seal_app").setLevel(level)
    logging.getLogger("huey").setLevel(level)


def init_app(app: Flask) -> None:
    """Request ids and the access line; JSON logging unless the app runs under tests (which
    keep pytest's own capture) or ``LOG_FORMAT`` says otherwise."""
    if app.config["LOG_FORMAT"] == "json" and not app.testing:
        configure_process()
    app.logger.removeHandler(default_handler)  # the root logger's handler writes its lines
    logging.getLogger("seal_app").setLevel(logging.INFO)
    app.before_request_funcs.setdefault(None, []).insert(0, _start)  # before the other hooks
    app.after_request(_access_line)


def request_id() -> str:
    """This request's id: the proxy's ``X-Request-ID`` when it looks like one, else new (also
    for a line written before the app's own hooks ran, e.g. by an earlier failing one)."""
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if GIVEN_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def _start() -> None:
    request_id()
    g.request_started = time.perf_counter()


def _access_line(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    started = g.get("request_started", time.perf_counter())
    ACCESS.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "request_id": request_id(),
            "user_id": _user_id(),
            "route": request.endpoint,
            "method": request.method,
            "path": request.path,  # never the query string: a search may hold a name
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return response


def _user_id() -> int | None:
    """The logged-in user's id, read without asking the database (which may be down): the
    login cookie names it, and it counts once Flask-Login has accepted the login."""
    user = g.get("_login_user")
    if user is None or not user.is_authenticated:
        return None
    claimed = str(session.get("_user_id", "")).partition(":")[0]
    return int(claimed) if claimed.isdigit() else None
