"""``flask seal backup``, ``flask seal restore`` and ``flask seal check-files``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from seal_app.backup import archive, databases, stored_files
from seal_app.backup.databases import BackupError
from seal_app.formatting import file_size
from seal_app.output_files import output_file_problem


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(1)


@click.command("backup")
@with_appcontext
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Archivdatei (tar.gz), z. B. sicherung-2026-11-26.tar.gz.",
)
def backup_command(out: Path) -> None:
    """Datenbank und alle gespeicherten Dateien in ein geprüftes Archiv sichern."""
    problem = output_file_problem(out)
    if problem:
        _fail(problem)
    if out.resolve().is_relative_to(Path(current_app.config["UPLOAD_DIR"]).resolve()):
        _fail(_("Bitte sichern Sie nicht in den Ordner der gespeicherten Dateien."))
    try:
        summary = archive.write_backup(out)
    except BackupError as error:
        _fail(str(error))
    except OSError as error:
        _fail(_("Die Sicherung lässt sich nicht schreiben: %(error)s", error=error))
    click.echo(
        _(
            "Sicherung geschrieben: %(file)s (%(size)s) – %(kind)s-Datenbank und %(files)s.",
            file=out,
            size=file_size(summary.archive_size),
            kind=databases.KIND_LABELS[summary.kind],
            files=ngettext("%(num)s Datei", "%(num)s Dateien", summary.files),
        )
    )
    if summary.problems:
        click.echo(
            _("Achtung: Diese Dateien waren schon vor der Sicherung nicht in Ordnung:"), err=True
        )
        for problem in summary.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Eine Sicherung (FILE) in eine leere Installation zurückspielen, nach voller Prüfung."""
    try:
        summary = archive.restore(file)
    except BackupError as error:
        _fail(str(error))
    except OSError as error:
        _fail(_("Die Wiederherstellung ist gescheitert: %(error)s", error=error))
    click.echo(
        _(
            "Wiederhergestellt: %(kind)s-Datenbank vom %(created)s (Schema %(revision)s) und "
            "%(files)s.",
            kind=databases.KIND_LABELS[summary.kind],
            created=_when(summary.created_at),
            revision=summary.alembic_revision or "–",
            files=ngettext("%(num)s Datei", "%(num)s Dateien", summary.files),
        )
    )
    click.echo(_("Danach: flask db upgrade, dann flask seal check-files."))


@click.command("check-files")
@with_appcontext
def check_files_command() -> None:
    """Jede gespeicherte Datei mit ihrer Prüfsumme vergleichen; fehlende, veränderte und
    verwaiste Dateien auflisten."""
    report = stored_files.check_files()
    for reference in report.missing:
        click.echo(_("Fehlt: %(file)s", file=reference.label))
    for reference in report.altered:
        click.echo(_("Verändert (Prüfsumme passt nicht): %(file)s", file=reference.label))
    for name in report.orphaned:
        click.echo(_("Verwaist (von keinem Datensatz genutzt): %(file)s", file=name))
    if report.in_order:
        click.echo(_("Prüfung beendet: alle %(count)s Dateien in Ordnung.", count=report.checked))
        return
    click.echo(
        _(
            "%(checked)s Dateien geprüft: %(missing)s fehlen, %(altered)s verändert, "
            "%(orphaned)s verwaist.",
            checked=report.checked,
            missing=len(report.missing),
            altered=len(report.altered),
            orphaned=len(report.orphaned),
        ),
        err=True,
    )
    raise SystemExit(1)


def _when(created_at: str) -> str:
    """The archive's time as people read it (local time), or as written if unreadable."""
    try:
        return format_datetime(datetime.fromisoformat(created_at), "dd.MM.yyyy, HH:mm 'Uhr'")
    except ValueError:
        return created_at


COMMANDS = (backup_command, restore_command, check_files_command)
