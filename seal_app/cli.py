"""``flask seal ...``: every command of the app, each kept by the domain it belongs to.

Read as the map of the commands: the domain's ``commands`` module holds the code, this module
only gathers them into the ``seal`` group (as ``create_app`` registers each blueprint).
"""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from seal_app import demo_commands
from seal_app.accounts import commands as accounts
from seal_app.backup import commands as backup
from seal_app.catalogue import commands as catalogue
from seal_app.certificates import commands as signing
from seal_app.certificates import paper_commands as paper_seals
from seal_app.certificates import print_commands as printing
from seal_app.credentials import commands as credentials
from seal_app.operations import commands as operations
from seal_app.retention import commands as retention
from seal_app.twofactor import commands as twofactor

seal = AppGroup("seal", help="Gütesiegel „Sicherheit macht Schule“: Verwaltungsbefehle.")

DOMAINS = (
    demo_commands,  # demo: demo data and its logins
    accounts,  # create-user
    catalogue,  # catalogue check
    printing,  # verify, certificates (a round's print)
    signing,  # check-signing
    paper_seals,  # import-certificates
    credentials,  # credential-key rotate
    twofactor,  # reset-2fa
    backup,  # backup, restore, check-files
    retention,  # retention
    operations,  # worker
)


def register(app: Flask) -> None:
    """Add ``flask seal`` and each domain's commands under it to the app's CLI."""
    for domain in DOMAINS:
        for command in domain.COMMANDS:
            seal.add_command(command)
    app.cli.add_command(seal)
