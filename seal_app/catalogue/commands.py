"""``flask seal catalogue check [FILE]``: a catalogue file, or all of them, checked."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.loader import CatalogueError, load_file

catalogue = AppGroup("catalogue", help="Kriterienkatalog prüfen.")


@catalogue.command("check")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
def catalogue_check(file: str | None) -> None:
    """Einen Katalog (FILE) oder alle Kataloge prüfen; Fehler mit Datei und Zeile."""
    if file:
        try:
            checked = load_file(Path(file))
        except CatalogueError as error:
            _fail(error.problems)
        click.echo(
            f"{file}: in Ordnung (Version {checked.version}, "
            f"{len(list(checked.criteria))} Kriterien)."
        )
        return
    for version, loaded in sorted(catalogue_services.on_disk().items()):
        click.echo(
            f"{loaded.source_name}: in Ordnung (Version {version}, "
            f"{len(list(loaded.criteria))} Kriterien)."
        )
    problems = _changed_locked_versions()
    if problems:
        _fail(problems)


def _changed_locked_versions() -> list[str]:
    try:
        changed = catalogue_services.changed_versions()
    except sa.exc.SQLAlchemyError:
        current_app.logger.info("no database yet: locked catalogue versions not compared")
        return []
    return [
        f"{record.source_name}:1: Version {record.version}: {reason}" for record, reason in changed
    ]


def _fail(problems: Iterable[object]) -> NoReturn:
    for problem in problems:
        click.echo(str(problem), err=True)
    raise SystemExit(1)


COMMANDS = (catalogue,)
