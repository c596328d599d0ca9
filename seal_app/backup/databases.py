"""The database part of a backup: a consistent copy, and putting it back into an empty one.

SQLite uses Python's online backup API; PostgreSQL uses ``pg_dump --format=custom`` and
``pg_restore`` (Debian's postgresql-client). The list of stored files is read from the very
same state of the database as the copy, so the archive never holds a row without its file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from seal_app.backup.stored_files import StoredReference, references
from seal_app.extensions import db

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
KIND_LABELS = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (German)."""


@dataclass(frozen=True)
class DatabaseCopy:
    kind: str
    path: Path
    alembic_revision: str | None
    references: list[StoredReference]


def kind() -> str:
    """``sqlite`` or ``postgresql``: the configured database."""
    name = db.engine.dialect.name
    if name not in KIND_LABELS:
        raise BackupError(_("Datenbanken vom Typ %(kind)s werden nicht gesichert.", kind=name))
    return name


def alembic_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at (None: not made by ``flask db upgrade``)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def copy_database(target: Path) -> DatabaseCopy:
    """Write a consistent copy of the database to ``target``; also read its stored files."""
    if kind() == SQLITE:
        return _copy_sqlite(target)
    return _copy_postgresql(target)


def _sqlite_file() -> Path:
    name = db.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("Die SQLite-Datenbank muss eine Datei sein."))
    return Path(name)


def _copy_sqlite(target: Path) -> DatabaseCopy:
    source_file = _sqlite_file()
    if not source_file.is_file():
        raise BackupError(_("Die Datenbankdatei %(file)s gibt es nicht.", file=source_file))
    source = sqlite3.connect(source_file)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    engine = sa.create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return DatabaseCopy(
                SQLITE, target, alembic_revision(connection), references(connection)
            )
    finally:
        engine.dispose()


def _copy_postgresql(target: Path) -> DatabaseCopy:
    """``pg_dump`` of an exported snapshot, read in the same transaction as the file list."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
            revision = alembic_revision(connection)
            found = references(connection)
            _run(
                current_app.config["BACKUP_PG_DUMP"],
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
            )
    return DatabaseCopy(POSTGRESQL, target, revision, found)


def _libpq_url() -> tuple[str, dict[str, str]]:
    """The database URL as libpq reads it, and the environment carrying the password.

    SQLAlchemy writes ``postgresql+psycopg://``; the password goes in ``PGPASSWORD`` so that
    it never shows in the process list."""
    url = db.engine.url
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run(program: str, *arguments: str) -> None:
    url, environment = _libpq_url()
    try:
        finished = subprocess.run(
            [program, *arguments, f"--dbname={url}"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise BackupError(
            _("%(program)s lässt sich nicht starten: %(error)s", program=program, error=error)
        ) from error
    if finished.returncode != 0:
        raise BackupError(
            _(
                "%(program)s meldet einen Fehler: %(error)s",
                program=Path(program).name,
                error=finished.stderr.strip(),
            )
        )


def filled_tables() -> list[str]:
    """Tables of the configured database that hold rows: the app's, ``alembic_version`` and any
    other (a restore replaces the whole database, so whatever holds data is refused)."""
    with db.engine.connect() as connection:
        names = sorted(sa.inspect(connection).get_table_names())
        return [
            name
            for name in names
            if connection.execute(
                sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)
            ).first()
        ]


@contextmanager
def _released_connections() -> Iterator[None]:
    db.session.remove()
    db.engine.dispose()
    try:
        yield
    finally:
        db.engine.dispose()


def restore_database(copy_kind: str, source: Path) -> None:
    """Put a verified copy into the configured (empty) database."""
    with _released_connections():
        if copy_kind == SQLITE:
            _restore_sqlite(source)
        else:
            _run(
                current_app.config["BACKUP_PG_RESTORE"],
                "--no-owner",
                "--no-privileges",
                "--clean",  # an empty schema (tables without rows) may already be there
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                str(source),
            )


def _restore_sqlite(source: Path) -> None:
    target = _sqlite_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    try:
        copy = sqlite3.connect(part)
        original = sqlite3.connect(source)
        try:
            original.backup(copy)
        finally:
            original.close()
            copy.close()
        for suffix in ("-wal", "-shm"):  # the empty database's journal must not survive
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
