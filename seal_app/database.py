"""Database helpers: SQLite pragmas and the one place that commits a unit of work."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import Pool

from seal_app.extensions import db

_configured = False

# How long a write waits for another writer's lock before the save is refused cleanly.
# SQLite: the driver begins a transaction only at its first write, so the wait always applies
# (no read-to-write upgrade that SQLite refuses at once). PostgreSQL: ``lock_timeout``, so a
# stuck transaction cannot hold every save until the worker is killed. A save normally holds
# a lock for milliseconds; the limit stays well below gunicorn's 30 s worker timeout.
LOCK_WAIT_MS = 15_000


def configure_engine_events() -> None:
    """Set up every new database connection (once per process)."""
    global _configured
    if _configured:
        return
    sa.event.listen(Engine, "connect", _connection_settings)
    sa.event.listen(Pool, "checkout", _refuse_closed_connection)
    _configured = True


def _refuse_closed_connection(dbapi_connection, connection_record, connection_proxy) -> None:
    """A pooled PostgreSQL connection that the server has closed (a restart, a terminated
    backend) is replaced before use, without a round trip: the server's goodbye, or the end of
    the stream, makes the idle socket readable. (``pool_pre_ping`` asks the server on every
    checkout, a round trip per request.) Connections the network dropped silently are renewed
    by ``pool_recycle``."""
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    if dbapi_connection.closed or _readable(dbapi_connection.fileno()):
        raise sa.exc.DisconnectionError("the server closed the connection")


def _readable(descriptor: int) -> bool:
    """Something waits on an idle connection's socket: only an end or an error can."""
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _connection_settings(dbapi_connection, connection_record) -> None:
    """SQLite: foreign keys, WAL, lock wait. PostgreSQL: lock wait."""
    module = type(dbapi_connection).__module__
    if module == "sqlite3":
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
        cursor.close()
    elif module.startswith("psycopg"):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # SET outside a transaction, so it lasts
        dbapi_connection.execute(f"SET lock_timeout = {int(LOCK_WAIT_MS)}")
        dbapi_connection.autocommit = autocommit


class ConflictError(Exception):
    """Another request changed the same record first; nothing of this unit of work is stored.

    Raised for an edit based on an older version, for a row that another request created at the
    same moment, and when the database stayed busy with other writers for too long.
    """


# Unique violation, serialization failure, deadlock, lock wait over (PostgreSQL SQLSTATE codes).
_PG_CONFLICTS = {"23505", "40001", "40P01", "55P03"}
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
