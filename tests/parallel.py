"""The test run split over processes (pytest-xdist, ``pytest -n 2``): each worker gets its own
PostgreSQL database and its own app-log file, and the controller gathers what CI checks.

Without ``-n`` nothing here changes anything: one process, the database named by
``SEAL_TEST_DATABASE_URL``, the log in ``test-artifacts/app-log.jsonl``.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from _pytest.junitxml import xml_key  # the report's writer: pytest has no public handle

RUN = "SEAL_TEST_RUN"  # one run's name, shared by its workers: two runs may share test-artifacts/


def worker() -> str | None:
    """This worker's id (``gw0``, ``gw1``…), None when the tests run in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def name_the_run() -> None:
    """In the controller (or a run without workers), before any worker starts."""
    if worker() is None:
        os.environ[RUN] = uuid.uuid4().hex[:12]


def on_postgresql() -> bool:
    """Whether the tests run on the PostgreSQL server named by ``SEAL_TEST_DATABASE_URL``
    (``.ci/with-postgres``), not on SQLite."""
    return os.environ.get("SEAL_TEST_DATABASE_URL", "").startswith("postgresql")


def use_own_database() -> None:
    """A worker on PostgreSQL: a fresh database of its own beside the one named, e.g.
    ``seal_test_gw0``; every test that reads ``SEAL_TEST_DATABASE_URL`` then uses it."""
    url, name = os.environ.get("SEAL_TEST_DATABASE_URL"), worker()
    if name is None or not on_postgresql():
        return
    os.environ["SEAL_TEST_DATABASE_URL"] = new_database(url, f"{sa.make_url(url).database}_{name}")


def new_database(url: str, name: str) -> str:
    """An empty PostgreSQL database ``name`` on the server of ``url`` (one left from an earlier
    run is dropped first); its URL."""
    server = sa.make_url(url)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def log_file(shared: Path) -> Path:
    """Where this process writes the app's log lines: the shared file, or a worker's own one
    beside it (gathered into the shared file at the end by ``gather_logs``)."""
    name = worker()
    if name is None:
        return shared
    return shared.with_name(f"{shared.stem}.{os.environ.get(RUN, 'run')}.{name}{shared.suffix}")


def gather_logs(shared: Path) -> None:
    """In the controller: append each worker's log lines of this run to the shared file."""
    if worker() is not None:
        return
    parts = sorted(shared.parent.glob(f"{shared.stem}.{os.environ.get(RUN, 'run')}.*"))
    if not parts:
        return
    with shared.open("a", encoding="utf-8") as target:
        for part in parts:
            target.write(part.read_text(encoding="utf-8"))
            part.unlink()


def report_database(config: pytest.Config, dialect: str) -> None:
    """In a worker: tell the controller which database the tests ran on."""
    config.workeroutput["database"] = dialect  # type: ignore[attr-defined]


def database_of_worker(config: pytest.Config, node) -> None:
    """In the controller: name the workers' database in the JUnit report, as one process does
    with ``record_testsuite_property`` (which does nothing inside a worker)."""
    dialect = getattr(node, "workeroutput", {}).get("database")
    xml = config.stash.get(xml_key, None)
    if dialect is None or xml is None:
        return
    if ("database", dialect) not in xml.global_properties:
        xml.add_global_property("database", dialect)
