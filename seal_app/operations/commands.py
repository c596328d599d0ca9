"""``flask seal worker``: the task queue's worker (printing rounds, mail, sweeps)."""

from __future__ import annotations

import socket

import click
from flask import current_app
from flask.cli import with_appcontext

from seal_app.db_types import utcnow
from seal_app.operations import logs, sweeper
from seal_app.tasks import huey_of


@click.command("worker")
@with_appcontext
@click.option("--workers", default=2, show_default=True, help="Gleichzeitige Aufgaben.")
def worker_command(workers: int) -> None:
    """Den Hintergrunddienst (Huey) starten: druckt Runden und erledigt andere Aufgaben."""
    huey = huey_of(current_app)
    # a mail server that accepts the connection and then says nothing must not hold a worker
    socket.setdefaulttimeout(current_app.config["MAIL_TIMEOUT_SECONDS"])
    if huey.immediate:
        raise click.ClickException("TASK_QUEUE_IMMEDIATE ist gesetzt: Es gibt keine Warteschlange.")
    click.echo(f"Hintergrunddienst läuft ({type(huey.storage).__name__}); Ende mit Strg+C.")
    logs.configure_process()
    sweeper.recover(utcnow())  # what a killed worker or a lost queue left behind
    huey.create_consumer(workers=workers, worker_type="thread").run()


COMMANDS = (worker_command,)
