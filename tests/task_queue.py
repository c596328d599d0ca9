"""The real task queue for the tests that need it (the others run tasks in immediate mode)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from seal_app import tasks


@contextmanager
def real_queue(app, folder: Path) -> Iterator[Callable[[], None]]:
    """Switch the app from the tests' immediate mode to a Huey queue in a SQLite file, as in
    production; yields a function that starts a consumer with two worker threads (as
    ``flask seal worker`` does). Everything is back to immediate mode afterwards."""
    app.config.update(TASK_QUEUE_IMMEDIATE=False, TASK_QUEUE_URL=f"sqlite:///{folder / 'q.db'}")
    tasks.init_app(app)
    consumers = []

    def start_worker() -> None:
        consumer = tasks.huey_of(app).create_consumer(workers=2, periodic=False)
        consumer._set_signal_handlers = lambda: None  # the test runner keeps its own
        consumer.start()
        consumers.append(consumer)

    try:
        yield start_worker
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)
        app.config.update(TASK_QUEUE_IMMEDIATE=True, TASK_QUEUE_URL=None)
        tasks.init_app(app)
