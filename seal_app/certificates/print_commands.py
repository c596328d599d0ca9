"""``flask seal verify FILE`` and ``flask seal certificates --round YEAR``: checking one
certificate, and printing all certificates (or feedback letters) of a round."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from seal_app.certificates import printing, round_documents, verification
from seal_app.certificates.models import PrintKind
from seal_app.extensions import db
from seal_app.output_files import output_file_problem
from seal_app.rounds.models import Round


@click.command("verify")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def verify_command(file: str) -> None:
    """Prüfen, ob FILE eine ausgestellte, unveränderte Urkunde ist."""
    result = verification.check_file(Path(file).read_bytes())
    click.echo(result.message)
    if not result.genuine:
        raise SystemExit(1)


@click.command("certificates")
@with_appcontext
@click.option(
    "--round",
    "year",
    type=click.IntRange(1900, 9999),
    required=True,
    help="Jahr der Runde, z. B. 2026.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), required=True, help="PDF-Datei."
)
@click.option("--zip", "zip_out", type=click.Path(dir_okay=False), help="Auch als ZIP-Archiv.")
@click.option(
    "--feedback", is_flag=True, help="Die Rückmeldungen der Jury statt der Urkunden drucken."
)
def certificates_command(year: int, out: str, zip_out: str | None, feedback: bool) -> None:
    """Alle Urkunden (oder Rückmeldungen) einer Runde in eine PDF-Datei drucken."""
    round_ = db.session.scalar(sa.select(Round).where(Round.year == year))
    if round_ is None:
        raise click.ClickException(f"Es gibt keine Runde {year}.")
    kind = PrintKind.FEEDBACK if feedback else PrintKind.CERTIFICATES
    ids = printing.items_of(round_.id, kind)
    if not ids:
        raise click.ClickException(f"In der Runde {year} gibt es nichts zu drucken ({kind.label}).")
    targets = [Path(out), *([Path(zip_out)] if zip_out is not None else [])]
    _check_targets(targets)
    parts = [target.with_name(target.name + ".part") for target in targets]
    try:
        with click.progressbar(length=len(ids), label=f"{kind.label} {year}") as bar:
            round_documents.write_round(
                round_,
                kind,
                ids,
                parts[0],
                parts[1] if zip_out else None,
                lambda count: bar.update(1),
            )
    except BaseException as error:
        for part in parts:
            part.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise click.ClickException(f"Die Datei lässt sich nicht schreiben: {error}") from error
        raise
    for part, target in zip(parts, targets, strict=True):
        part.replace(target)
    documents = "1 Dokument" if len(ids) == 1 else f"{len(ids)} Dokumente"
    click.echo(f"{documents} in {', '.join(map(str, targets))} geschrieben.")


def _check_targets(targets: list[Path]) -> None:
    """Output files: each one a file could go to, and distinct."""
    for target in targets:
        problem = output_file_problem(target)
        if problem:
            raise click.ClickException(problem)
    if len({target.resolve() for target in targets}) != len(targets):
        raise click.ClickException("PDF- und ZIP-Datei brauchen verschiedene Namen.")


COMMANDS = (verify_command, certificates_command)
