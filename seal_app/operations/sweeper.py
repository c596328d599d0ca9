"""Putting back on the queue what the queue or a killed worker lost.

The outbox and the print jobs live in the database, so nothing asked for is lost when Redis
is gone at the moment of asking (``tasks.enqueue`` then only logs) or when a worker dies in
the middle of a task. Every minute, and when the worker starts, ``sweep``:

- gives a message back to the queue whose sending worker has not finished within its lease
  (``outbox.SENDING_LEASE``), and sends every queued message whose time has come
  (``outbox.send_waiting``: retries, and messages whose task was lost);
- starts again every print job that shows no sign of life for ``PRINT_JOB_LEASE_SECONDS``
  (its task was lost, or its worker killed): a running one with new file names, so that a
  worker taken wrongly for dead stops at its next document and changes nothing.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from seal_app.certificates import printing
from seal_app.certificates.models import LIVE_PRINT_STATES, PrintJob, PrintState
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications import outbox
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.tasks import enqueue, periodic

log = logging.getLogger(__name__)


@periodic(minute="*")
def sweep() -> None:
    recover(utcnow())
    outbox.send_waiting()


def recover(now: datetime) -> tuple[int, list[int]]:
    """Messages given back to the queue, and the print jobs queued again (also run by the
    worker at its start, before it takes tasks)."""
    messages = release_sending(now)
    jobs = restart_print_jobs(now)
    if messages or jobs:
        log.warning("sweeper: %s messages and print jobs %s queued again", messages, jobs)
    return messages, jobs


def release_sending(now: datetime) -> int:
    """Messages still marked as being sent after their lease: their worker is gone."""
    released = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.state == MessageState.SENDING, OutboxMessage.next_attempt_at < now)
        .values(state=MessageState.QUEUED, next_attempt_at=now)
    )
    db.session.commit()
    return released.rowcount


def restart_print_jobs(now: datetime) -> list[int]:
    lease = timedelta(seconds=current_app.config["PRINT_JOB_LEASE_SECONDS"])
    quiet = db.session.scalars(
        sa.select(PrintJob).where(
            PrintJob.state.in_(LIVE_PRINT_STATES), PrintJob.progressed_at < now - lease
        )
    )
    restarted = []
    for job in list(quiet):
        job_id, state, stem = job.id, job.state, job.file_stem
        old_parts = printing.part_paths(job)
        moved = db.session.execute(
            sa.update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.file_stem == stem, PrintJob.state == state)
            .values(
                state=PrintState.QUEUED,
                done=0,
                progressed_at=now,
                file_stem=secrets.token_hex(16) if state is PrintState.RUNNING else stem,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if moved.rowcount == 1:
            for path in old_parts:
                path.unlink(missing_ok=True)
            restarted.append(job_id)  # (job itself is expired: reading it would load it)
    for job_id in restarted:
        enqueue(printing.print_round, job_id)
    return restarted
