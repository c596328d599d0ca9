"""``Server-Timing`` on every answer, for measuring capacity (``SERVER_TIMING``, off by default).

    Server-Timing: cpu;dur=12.3, db;dur=4.1;desc="7 queries"

``cpu``: the CPU milliseconds this request's thread spent, everything included (hooks, the
view, templates, the teardown's rollback). ``db``: the wall-clock milliseconds spent in the
database driver's ``execute`` and the number of statements sent. The whole request is timed,
so the header is added only once the app has returned; nothing here depends on the rest of
seal_app (``benchmarks/capacity.sh`` drops this file into an older tree to measure it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_current = threading.local()  # the counters of the request this thread is answering
_listening = False


class _Counters:
    __slots__ = ("db_seconds", "started", "statements")

    def __init__(self) -> None:
        self.statements = 0
        self.db_seconds = 0.0
        self.started = 0.0


def _before_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    counters = getattr(_current, "counters", None)
    if counters is not None:
        counters.statements += 1
        counters.started = time.perf_counter()


def _after_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    counters = getattr(_current, "counters", None)
    if counters is not None and counters.started:
        counters.db_seconds += time.perf_counter() - counters.started
        counters.started = 0.0


def _listen_once() -> None:
    global _listening
    if not _listening:
        sa.event.listen(Engine, "before_cursor_execute", _before_execute)
        sa.event.listen(Engine, "after_cursor_execute", _after_execute)
        _listening = True


class ServerTiming:
    """WSGI middleware: times the wrapped app and adds the header to its answer."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        _listen_once()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        counters = _current.counters = _Counters()
        cpu_started = time.thread_time()
        answer: list = []

        def held_start_response(status, headers, exc_info=None):
            answer[:] = [status, headers, exc_info]
            return _no_write

        try:
            body = self.app(environ, held_start_response)
        finally:
            _current.counters = None
        if not answer:  # nothing was started: nothing to add the header to
            return body
        status, headers, exc_info = answer
        cpu_ms = (time.thread_time() - cpu_started) * 1000
        headers.append(
            (
                "Server-Timing",
                f"cpu;dur={cpu_ms:.1f}, db;dur={counters.db_seconds * 1000:.1f};"
                f'desc="{counters.statements} queries"',
            )
        )
        start_response(status, headers, exc_info)
        return body


def _no_write(_data: bytes) -> None:
    raise RuntimeError("seal_app answers through the response body, never write()")


def init_app(app) -> None:
    if app.config.get("SERVER_TIMING"):
        app.wsgi_app = ServerTiming(app.wsgi_app)


def timed_app():
    """gunicorn's app for a checkout whose ``create_app`` does not add the header itself
    (``benchmarks/capacity.sh`` measures an older commit with it)."""
    from seal_app import create_app

    app = create_app()
    if not isinstance(app.wsgi_app, ServerTiming):
        app.wsgi_app = ServerTiming(app.wsgi_app)
    return app
