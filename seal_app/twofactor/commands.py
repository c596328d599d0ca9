"""``flask seal reset-2fa EMAIL``: a lost factor of the last office account."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from seal_app.auth import security_log
from seal_app.auth.models import SecurityEventKind
from seal_app.auth.services import find_user_by_email
from seal_app.database import transaction
from seal_app.twofactor import services as factors


@click.command("reset-2fa")
@with_appcontext
@click.argument("email")
def reset_command(email: str) -> None:
    """Den zweiten Faktor eines Kontos zurücksetzen (alle Faktoren und Codes löschen)."""
    user = find_user_by_email(email)
    if user is None:
        click.echo(_("Es gibt kein Konto mit der Adresse %(email)s.", email=email), err=True)
        raise SystemExit(1)
    with transaction():
        factors.reset(user, actor=None)
        security_log.record(
            SecurityEventKind.SECOND_FACTOR_RESET, user.email, user, "", "flask seal"
        )
    click.echo(
        _(
            "Der zweite Faktor von %(email)s ist zurückgesetzt; alle Anmeldungen sind beendet. "
            "Bei der nächsten Anmeldung wird er neu eingerichtet.",
            email=user.email,
        )
    )


COMMANDS = (reset_command,)
