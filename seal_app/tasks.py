"""The task queue (Huey): work that must not run inside a web request.

A function marked ``@background`` is registered with the app's Huey instance when the app is
built, and runs inside that app's context in the worker (``flask seal worker``); one marked
``@periodic`` runs there on its schedule. Storage is a
SQLite file in the instance folder by default; ``TASK_QUEUE_URL=redis://host:port/db`` moves it
to Redis for production. ``TASK_QUEUE_IMMEDIATE`` runs every task at once in the caller (tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab

log = logging.getLogger(__name__)
_BACKGROUND: list[tuple[Callable, dict[str, Any]]] = []
_PERIODIC: list[tuple[Callable, dict[str, str]]] = []


def background(**options: Any) -> Callable[[Callable], Callable]:
    """Mark a function as a task; ``options`` go to ``Huey.task`` (retries, retry_delay, ...)."""

    def register(function: Callable) -> Callable:
        _BACKGROUND.append((function, options))
        return function

    return register


def periodic(**schedule: str) -> Callable[[Callable], Callable]:
    """Mark a function to run on a schedule in the worker; ``schedule`` is Huey's ``crontab``
    (minute="*/5", hour="6", day_of_week="1", ...). Each run must be safe to repeat."""

    def register(function: Callable) -> Callable:
        _PERIODIC.append((function, schedule))
        return function

    return register


def init_app(app: Flask) -> None:
    """Build the app's Huey from its settings and register every ``@background`` and
    ``@periodic`` function."""
    huey = make_huey(app)
    tasks = {}
    for function, options in _BACKGROUND:
        tasks[function] = huey.task(name=_name(function), **options)(_in_context(app, function))
    for function, schedule in _PERIODIC:
        huey.periodic_task(crontab(**schedule), name=_name(function))(_in_context(app, function))
    app.extensions["huey"] = huey
    app.extensions["tasks"] = tasks


def make_huey(app: Flask) -> Huey:
    config = app.config
    url = config["TASK_QUEUE_URL"] or ""
    if config["TASK_QUEUE_IMMEDIATE"]:
        return Huey("seal_app", immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("seal_app", url=url, results=False)
    filename = url.removeprefix("sqlite:///") or str(Path(app.instance_path) / "tasks.sqlite3")
    return SqliteHuey("seal_app", filename=filename, results=False)


def enqueue(function: Callable, *args: Any) -> bool:
    """Put a call of a ``@background`` function on the queue (immediate mode: run it now).

    A queue that cannot be reached (Redis down) never fails the caller's request: what was
    asked for is already stored in the database (the outbox, a print job), and the worker's
    sweeper (``seal_app.operations.sweeper``) queues it again. False when that happened."""
    task = current_app.extensions["tasks"][function]
    if huey_of(current_app).immediate:
        task(*args)
        return True
    try:
        task(*args)
    except Exception:  # redis.ConnectionError, a full disk under SQLite, ...
        log.warning("queue unreachable: %s left for the sweeper", _name(function), exc_info=True)
        return False
    return True


def huey_of(app: Flask) -> Huey:
    return app.extensions["huey"]


def _name(function: Callable) -> str:
    """Huey puts the module in front: ``seal_app.notifications.outbox.deliver``."""
    return function.__qualname__


def _in_context(app: Flask, function: Callable) -> Callable:
    def run(*args: Any, **kwargs: Any) -> Any:
        with app.app_context():
            return function(*args, **kwargs)

    run.__name__ = function.__name__
    run.__qualname__ = function.__qualname__
    run.__module__ = function.__module__
    run.__doc__ = function.__doc__
    return run
