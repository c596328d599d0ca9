"""``flask seal import-certificates FILE.csv [--dry-run]``: the paper-era seals from a list."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from seal_app.certificates import paper_import
from seal_app.database import transaction
from seal_app.local_time import local_today


@click.command("import-certificates")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Nur die Vorschau zeigen, nichts speichern.")
@with_appcontext
def import_certificates_command(file: str, dry_run: bool) -> None:
    """Urkunden aus der Zeit vor dem Online-Verfahren aus einer CSV-Datei übernehmen."""
    data = Path(file).read_bytes()
    if dry_run:
        result = paper_import.preview(data, local_today())
    else:
        with transaction():
            result = paper_import.import_seals(data, Path(file).name, None, local_today())
    for line in summary_lines(result, dry_run):
        click.echo(line)
    if result.problems:
        raise SystemExit(1)


def summary_lines(result: paper_import.Preview, dry_run: bool) -> list[str]:
    """What the preview page shows, as lines of text."""
    if result.problems:
        return [_("Die Datei lässt sich nicht importieren:"), *result.problems]
    lines = []
    for item in result.accepted:
        school = (
            _("Schule neu")
            if item.school is None
            else _("Schule %(number)s zugeordnet", number=item.school.school_number)
        )
        if item.note:
            school += f" ({item.note})"
        lines.append(
            _(
                "Zeile %(line)d: Urkunde %(number)s, %(school)s, %(town)s – %(how)s",
                line=item.row.line,
                number=item.row.number,
                school=item.row.school_name,
                town=item.row.town,
                how=school,
            )
        )
    for row in result.refused:
        reasons = " ".join(row.problems)
        lines.append(_("Zeile %(line)d abgelehnt: %(reasons)s", line=row.line, reasons=reasons))
    for row in result.skipped:
        lines.append(
            _(
                "Zeile %(line)d übersprungen (schon importiert): Urkunde %(number)s",
                line=row.line,
                number=row.number,
            )
        )
    if result.nothing_new:
        lines.append(_("Nichts Neues: Alle Urkunden der Datei gibt es schon."))
        return lines
    counts = {
        "count": len(result.accepted),
        "new": result.new_schools,
        "matched": result.matched_schools,
        "refused": len(result.refused),
    }
    if dry_run:
        message = _(
            "Vorschau: %(count)d Urkunden würden importiert (%(new)d Schulen neu, %(matched)d "
            "zugeordnet), %(refused)d Zeilen abgelehnt. Nichts gespeichert.",
            **counts,
        )
    else:
        message = _(
            "%(count)d Urkunden importiert (%(new)d Schulen neu, %(matched)d zugeordnet), "
            "%(refused)d Zeilen abgelehnt.",
            **counts,
        )
    return [*lines, message]


COMMANDS = (import_certificates_command,)
