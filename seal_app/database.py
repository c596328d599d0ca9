"""Database helpers: SQLite pragmas and the one place that commits a unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seal_app.extensions import db

_configured = False


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
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit everything done inside the block, or nothing at all if it raises."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def database_state() -> str:
    """'ok' when the database answers a trivial query, else 'unavailable'."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "unavailable"
    return "ok"
