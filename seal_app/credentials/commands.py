"""``flask seal credential-key rotate``: a new key signs credentials from now on."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from seal_app.credentials import identity, keys

credential_key = AppGroup("credential-key", help="Schlüssel der digitalen Nachweise.")


@credential_key.command("rotate")
def rotate_command() -> None:
    """Einen neuen Schlüssel anlegen; die alten bleiben in did.json zum Prüfen."""
    key = keys.rotate()
    click.echo(f"Neuer Schlüssel {identity.key_id(key)} signiert ab jetzt die Nachweise.")
    click.echo(f"Veröffentlicht unter {identity.public_url('/.well-known/did.json')}.")


COMMANDS = (credential_key,)
