"""Which catalogue versions exist, which is current, and locking a version for a round."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from seal_app.catalogue.loader import load_directory, parse
from seal_app.catalogue.model import Catalogue
from seal_app.catalogue.models import CatalogueVersion
from seal_app.extensions import db

EXTENSION_KEY = "seal.catalogues"


class CatalogueChangedError(Exception):
    """A catalogue file differs from the text recorded when a round started using it."""


def init_app(app: Flask) -> None:
    """Load and validate every catalogue file; raises CatalogueError naming file and line."""
    app.extensions[EXTENSION_KEY] = load_directory(Path(app.config["CATALOGUE_DIR"]))


def available() -> dict[str, Catalogue]:
    return current_app.extensions[EXTENSION_KEY]


def version_key(version: str) -> tuple[int, int]:
    year, number = version.split(".")
    return int(year), int(number)


def current() -> Catalogue:
    """The newest catalogue version on disk."""
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
        )
        db.session.add(record)
    elif record.sha256 != catalogue.sha256:
        raise CatalogueChangedError(version)
    return record


def from_record(record: CatalogueVersion) -> Catalogue:
    """The catalogue exactly as it was locked (not as the file may read today)."""
    return _parse_cached(record.content, record.source_name)


@lru_cache(maxsize=16)
def _parse_cached(text: str, source_name: str) -> Catalogue:
    return parse(text, source=source_name)


def changed_versions() -> list[tuple[CatalogueVersion, str]]:
    """Locked versions whose file is gone or differs now, with a German description."""
    catalogues = available()
    changed = []
    for record in db.session.scalars(db.select(CatalogueVersion)):
        on_disk = catalogues.get(record.version)
        if on_disk is None:
            changed.append((record, "Die Datei dieser Version fehlt."))
        elif on_disk.sha256 != record.sha256:
            changed.append((record, "Die Datei wurde geändert, nachdem eine Runde sie nutzte."))
    return changed
