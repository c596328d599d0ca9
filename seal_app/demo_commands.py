"""``flask seal demo``: demo data to click through at once, and its logins."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from seal_app.certificates.signing import make_self_signed
from seal_app.credentials import keys
from seal_app.database import transaction
from seal_app.demo import seed_demo
from seal_app.demo_applications import summary
from seal_app.demo_seals import summary as seal_summary
from seal_app.rounds.services import open_round
from seal_app.uploads.store import UploadBatch


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Demo-Daten anlegen (mehrfach ausführbar) und die Anmeldedaten ausgeben."""
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
    key_file = Path(current_app.config["SIGNING_KEY_FILE"])
    cert_file = Path(current_app.config["SIGNING_CERT_FILE"])
    if key_file.exists() or cert_file.exists():
        return
    make_self_signed(key_file, cert_file, "Gütesiegel Sicherheit macht Schule (Demo)")
    click.echo(f"Selbst signiertes Zertifikat für die Urkunden angelegt: {cert_file}")


def _demo_credential_key() -> None:
    """The first key for the digital credentials, if there is none yet."""
    if not keys.all_keys():
        click.echo(f"Schlüssel für die digitalen Nachweise angelegt: {keys.signing_key().name}")


COMMANDS = (demo_command,)
