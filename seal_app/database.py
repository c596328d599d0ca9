"""Database helpers: SQLite pragmas and the one place that commits a unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from seal_app.extensions import db

_configured = False

# How long an SQLite write waits for another writer to finish. The driver begins a transaction
# only at its first write, so the wait always applies (no read-to-write upgrade that SQLite
# refuses at once); a save normally holds the lock for milliseconds. Well below the 30 s after
# which gunicorn gives up on a worker; past it, ``transaction()`` refuses cleanly.
SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_engine_events() -> None:
    """Turn on foreign keys and WAL for every SQLite connection (once per process)."""
    global _configured
    if _configured:
        return
    sa.event.listen(Engine, "connect", _sqlite_pragmas)
    _configured = True


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


class ConflictError(Exception):
    """Another request changed the same record first; nothing of this unit of work is stored.

    Raised for an edit based on an older version, for a row that another request created at the
    same moment, and when the database stayed busy with other writers for too long.
    """


# Unique violation, serialization failure, deadlock (PostgreSQL SQLSTATE codes).
_PG_CONFLICTS = {"23505", "40001", "40P01"}
_SQLITE_CONFLICTS = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_BUSY")


def _is_conflict(error: BaseException) -> bool:
    if isinstance(error, StaleDataError):
        return True  # the UPDATE ... WHERE version = ? found the version already moved on
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in _PG_CONFLICTS:
        return True
    return getattr(original, "sqlite_errorname", "").startswith(_SQLITE_CONFLICTS)


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit everything done inside the block, or nothing at all if it raises.

    A collision with another request doing the same thing at the same moment leaves the
    database unchanged and raises ``ConflictError``, which callers show as a stale edit.
    """
    try:
        yield db.session
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if _is_conflict(error):
            raise ConflictError() from error
        raise


def claim_version(record, expected_version: int | None) -> None:
    """Let this unit of work change ``record`` only if it still has the version the form showed.

    A form built from an older version is refused here. Two requests that pass this check at
    the same moment are told apart by the database: the flush sends ``UPDATE ... WHERE version
    = <version read>`` and only the first one matches (``transaction()`` refuses the other).
    The next version is set here, so a save counts even when it changes no field.
    """
    if expected_version is None or record.version != expected_version:
        raise ConflictError
    record.version = expected_version + 1


def database_state() -> str:
    """'ok' when the database answers a trivial query, else 'unavailable'."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "unavailable"
    return "ok"
