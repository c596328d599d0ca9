"""Which catalogue versions exist, which is current, and locking a version for a round."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from seal_app.catalogue.loader import load_directory, parse
from seal_app.catalogue.model import Catalogue
from seal_app.catalogue.models import CatalogueVersion
from seal_app.db_types import utcnow
from seal_app.extensions import db

EXTENSION_KEY = "seal.catalogues"


class CatalogueChangedError(Exception):
    """A catalogue file differs from the text recorded when a round started using it."""


def init_app(app: Flask) -> None:
    """Load and validate every catalogue file; raises CatalogueError naming file and line."""
    app.extensions[EXTENSION_KEY] = load_directory(Path(app.config["CATALOGUE_DIR"]))


def on_disk() -> dict[str, Catalogue]:
    """The versions of the files in ``criteria/``, as loaded at start."""
    return current_app.extensions[EXTENSION_KEY]


def available() -> dict[str, Catalogue]:
    """Every version a round may use: the files, and the versions the office uploaded (kept in
    the database, so that every process sees them at once). A file wins over an upload of the
    same version; ``changed_versions`` reports such a clash."""
    catalogues = dict(on_disk())
    for record in uploaded_records():
        catalogues.setdefault(record.version, from_record(record))
    return catalogues


def uploaded_records() -> list[CatalogueVersion]:
    query = db.select(CatalogueVersion).where(CatalogueVersion.uploaded_at.is_not(None))
    return list(db.session.scalars(query))


def version_key(version: str) -> tuple[int, int]:
    year, number = version.split(".")
    return int(year), int(number)


def current() -> Catalogue:
    """The newest catalogue version (a file or an uploaded one)."""
    catalogues = available()
    return catalogues[max(catalogues, key=version_key)]


def lock_version(version: str) -> CatalogueVersion:
    """Record the exact text of ``version`` so that rounds keep using it unchanged."""
    catalogue = available()[version]
    record = db.session.get(CatalogueVersion, version)
    if record is None:
        record = CatalogueVersion(
            version=version,
            sha256=catalogue.sha256,
            source_name=catalogue.source_name,
            content=catalogue.text,
            locked_at=utcnow(),
        )
        db.session.add(record)
    elif record.sha256 != catalogue.sha256:
        raise CatalogueChangedError(version)
    elif record.locked_at is None:
        record.locked_at = utcnow()  # an uploaded version, used by a round from now on
    return record


def from_record(record: CatalogueVersion) -> Catalogue:
    """The catalogue exactly as it was locked (not as the file may read today).

    Parsed once per process: the version and the SHA-256 of its text name it, so the text
    (a deferred column) is read from the database only the first time.
    """
    key = (record.version, record.sha256)
    catalogue = _parsed.get(key)
    if catalogue is None:
        if len(_parsed) >= PARSED_KEPT:
            _parsed.clear()
        catalogue = _parsed[key] = parse(record.content, source=record.source_name)
    return catalogue


PARSED_KEPT = 32  # versions kept parsed per process; a district has a handful
_parsed: dict[tuple[str, str], Catalogue] = {}


def changed_versions() -> list[tuple[CatalogueVersion, str]]:
    """Locked versions whose file is gone or differs now, with a German description."""
    catalogues = on_disk()
    changed = []
    for record in db.session.scalars(db.select(CatalogueVersion)):
        file = catalogues.get(record.version)
        if file is None and not record.uploaded:
            changed.append((record, "Die Datei dieser Version fehlt."))
        elif file is not None and record.uploaded and file.sha256 != record.sha256:
            changed.append((record, "Eine Datei trägt dieselbe Version wie eine hochgeladene."))
        elif file is not None and file.sha256 != record.sha256:
            changed.append((record, "Die Datei wurde geändert, nachdem eine Runde sie nutzte."))
    return changed
