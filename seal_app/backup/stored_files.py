"""The files the database refers to, and the check that each is there and unaltered.

Every table with a ``stored_name`` and a ``sha256`` column names a file in the upload store
(evidence files, receipts, certificates, visit photos, and whatever is added later in the same
way); a ``thumbnail_name`` with its ``thumbnail_sha256`` names a second one (a photo's
thumbnail).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.uploads import store

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredReference:
    """One row that names a stored file."""

    table: str
    row_id: int
    stored_name: str
    sha256: str

    @property
    def relative_path(self) -> str:
        """The file's place below UPLOAD_DIR (``ab/ab12…``); raises ValueError if malformed."""
        return store.path_of(self.stored_name).relative_to(store.root()).as_posix()

    @property
    def label(self) -> str:
        return f"{self.relative_path_or_name} ({self.table} #{self.row_id})"

    @property
    def relative_path_or_name(self) -> str:
        try:
            return self.relative_path
        except ValueError:
            return self.stored_name


# (name column, SHA-256 column) of the files a row may name
FILE_COLUMNS = (("stored_name", "sha256"), ("thumbnail_name", "thumbnail_sha256"))


def file_tables() -> list[sa.Table]:
    """The app's tables whose rows name a stored file."""
    return [
        table
        for table in db.metadata.sorted_tables
        if "stored_name" in table.c and "sha256" in table.c and "id" in table.c
    ]


def references(connection: sa.Connection) -> list[StoredReference]:
    """Every stored file named in the database ``connection`` reads (tables it lacks skipped)."""
    existing = set(sa.inspect(connection).get_table_names())
    found: list[StoredReference] = []
    for table in file_tables():
        if table.name not in existing:
            continue
        for name, sha256 in FILE_COLUMNS:
            if name not in table.c or sha256 not in table.c:
                continue
            rows = connection.execute(  # a row without a file (a paper-era seal) names none
                sa.select(table.c.id, table.c[name], table.c[sha256])
                .where(table.c[name].is_not(None))
                .order_by(table.c.id)
            )
            found.extend(StoredReference(table.name, *row) for row in rows)
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_in(folder: Path) -> list[str]:
    """Every file below ``folder``, as relative POSIX paths, sorted."""
    return sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )


@dataclass
class FileReport:
    """The outcome of comparing the upload store with the database."""

    checked: int = 0
    missing: list[StoredReference] = field(default_factory=list)
    altered: list[StoredReference] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def in_order(self) -> bool:
        return not (self.missing or self.altered or self.orphaned)


def check_files() -> FileReport:
    """Compare every stored file with its recorded SHA-256; list files no row refers to."""
    report = FileReport()
    referenced: set[str] = set()
    with db.engine.connect() as connection:
        rows = references(connection)
    for reference in rows:
        report.checked += 1
        try:
            path = store.path_of(reference.stored_name)
        except ValueError:
            report.missing.append(reference)
            continue
        referenced.add(reference.relative_path)
        if not path.is_file():
            report.missing.append(reference)
        elif sha256_of(path) != reference.sha256:
            report.altered.append(reference)
    report.orphaned = [name for name in files_in(store.root()) if name not in referenced]
    return report
