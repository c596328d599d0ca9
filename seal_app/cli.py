"""``flask seal ...``: demo data, catalogue checks and first users."""

from __future__ import annotations

import socket
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.loader import CatalogueError, load_file
from seal_app.database import transaction

seal = AppGroup("seal", help="Gütesiegel „Sicherheit macht Schule“: Verwaltungsbefehle.")
catalogue = AppGroup("catalogue", help="Kriterienkatalog prüfen.")
seal.add_command(catalogue)


def register(app: Flask) -> None:
    from seal_app.backup.commands import COMMANDS as backup_commands
    from seal_app.certificates.commands import COMMANDS as signing_commands
    from seal_app.certificates.paper_commands import COMMANDS as paper_seal_commands
    from seal_app.credentials.commands import COMMANDS as credential_commands
    from seal_app.retention.commands import COMMANDS as retention_commands
    from seal_app.twofactor.commands import COMMANDS as twofactor_commands

    commands = (
        *backup_commands,
        *retention_commands,
        *credential_commands,
        *signing_commands,
        *paper_seal_commands,
        *twofactor_commands,
    )
    for command in commands:
        seal.add_command(command)
    app.cli.add_command(seal)


@seal.command("demo")
def demo_command() -> None:
    """Demo-Daten anlegen (mehrfach ausführbar) und die Anmeldedaten ausgeben."""
    from seal_app.demo import seed_demo
    from seal_app.demo_applications import summary
    from seal_app.demo_seals import summary as seal_summary
    from seal_app.rounds.services import open_round
    from seal_app.uploads.store import UploadBatch

    _demo_signing_pair()
    _demo_credential_key()
    with UploadBatch() as batch, transaction():
        logins = seed_demo(batch)
    click.echo("Demo-Daten sind angelegt. Anmeldung unter /login:")
    for login in logins:
        click.echo(f"  {login.role.value:9} {login.email:26} Passwort: {login.password}")
    click.echo(
        _(
            "Büro und Gutachter richten bei der ersten Anmeldung einen zweiten Faktor ein "
            "(Authenticator-App oder z. B. „oathtool --totp -b SCHLÜSSEL“; siehe README)."
        )
    )
    for line in [*summary(open_round()), *seal_summary()]:
        click.echo(line)


def _demo_signing_pair() -> None:
    """A self-signed key and certificate for signing certificates, if none is configured."""
    from seal_app.certificates.signing import make_self_signed

    key_file = Path(current_app.config["SIGNING_KEY_FILE"])
    cert_file = Path(current_app.config["SIGNING_CERT_FILE"])
    if key_file.exists() or cert_file.exists():
        return
    make_self_signed(key_file, cert_file, "Gütesiegel Sicherheit macht Schule (Demo)")
    click.echo(f"Selbst signiertes Zertifikat für die Urkunden angelegt: {cert_file}")


def _demo_credential_key() -> None:
    """The first key for the digital credentials, if there is none yet."""
    from seal_app.credentials import keys

    if not keys.all_keys():
        click.echo(f"Schlüssel für die digitalen Nachweise angelegt: {keys.signing_key().name}")


@seal.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def verify_command(file: str) -> None:
    """Prüfen, ob FILE eine ausgestellte, unveränderte Urkunde ist."""
    from seal_app.certificates import verification

    result = verification.check_file(Path(file).read_bytes())
    click.echo(result.message)
    if not result.genuine:
        raise SystemExit(1)


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
    import sqlalchemy as sa

    try:
        changed = catalogue_services.changed_versions()
    except sa.exc.SQLAlchemyError:
        current_app.logger.info("no database yet: locked catalogue versions not compared")
        return []
    return [
        f"{record.source_name}:1: Version {record.version}: {reason}" for record, reason in changed
    ]


def _fail(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    raise SystemExit(1)


@seal.command("create-user")
@click.argument("email")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["office", "assessor"]),
    default="office",
    show_default=True,
    help="Rolle des neuen Kontos.",
)
def create_user_command(email: str, name: str, role: str) -> None:
    """Ein Konto anlegen (z. B. das erste der Geschäftsstelle) und den Link ausgeben."""
    from seal_app.accounts.services import AccountError, create_user
    from seal_app.auth.models import Role

    try:
        with transaction():
            user, token = create_user(email, name, Role(role), actor=None, memberships={})
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    click.echo(f"Konto {user.email} angelegt. Passwort setzen unter:")
    click.echo(f"  {base}/password/set/{token}")


@seal.command("worker")
@click.option("--workers", default=2, show_default=True, help="Gleichzeitige Aufgaben.")
def worker_command(workers: int) -> None:
    """Den Hintergrunddienst (Huey) starten: druckt Runden und erledigt andere Aufgaben."""
    from seal_app.db_types import utcnow
    from seal_app.operations import logs, sweeper
    from seal_app.tasks import huey_of

    huey = huey_of(current_app)
    # a mail server that accepts the connection and then says nothing must not hold a worker
    socket.setdefaulttimeout(current_app.config["MAIL_TIMEOUT_SECONDS"])
    if huey.immediate:
        raise click.ClickException("TASK_QUEUE_IMMEDIATE ist gesetzt: Es gibt keine Warteschlange.")
    click.echo(f"Hintergrunddienst läuft ({type(huey.storage).__name__}); Ende mit Strg+C.")
    logs.configure_process()
    sweeper.recover(utcnow())  # what a killed worker or a lost queue left behind
    huey.create_consumer(workers=workers, worker_type="thread").run()


@seal.command("certificates")
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
    import sqlalchemy as sa

    from seal_app.certificates import printing
    from seal_app.certificates.models import PrintKind
    from seal_app.extensions import db
    from seal_app.rounds.models import Round

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
            printing.write_round(
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


def output_file_problem(path: Path) -> str | None:
    """Why a command cannot write its file to ``path`` (None: it can): no name, no such
    folder, or something there that is not a plain file (a folder, a device)."""
    if not str(path).strip() or path.name in ("", ".", ".."):
        return _("Bitte geben Sie einen Dateinamen an.")
    if not path.resolve().parent.is_dir():
        return _("Den Ordner %(folder)s gibt es nicht.", folder=path.parent)
    if path.exists() and not path.is_file():
        return _("%(file)s ist keine gewöhnliche Datei; dorthin wird nicht geschrieben.", file=path)
    return None
