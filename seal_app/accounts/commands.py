"""``flask seal create-user``: an account from the command line, e.g. the office's first."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from seal_app.accounts.services import AccountError, create_user
from seal_app.auth.models import Role
from seal_app.database import transaction


@click.command("create-user")
@with_appcontext
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
    try:
        with transaction():
            user, token = create_user(email, name, Role(role), actor=None, memberships={})
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    click.echo(f"Konto {user.email} angelegt. Passwort setzen unter:")
    click.echo(f"  {base}/password/set/{token}")


COMMANDS = (create_user_command,)
