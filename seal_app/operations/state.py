"""What the work waiting in the background looks like: the queue's length, the outbox and
the print jobs by state, and how long the oldest waits. Read by /readyz and /metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import sqlalchemy as sa
from flask import current_app

from seal_app.certificates.models import PrintJob, PrintState
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.tasks import huey_of


@dataclass(frozen=True)
class Backlog:
    outbox: dict[str, int]
    print_jobs: dict[str, int]
    oldest_due_message_seconds: float  # a queued message whose time has come, not yet sent
    oldest_live_print_job_seconds: float  # queued or running, since its last progress

    @property
    def lag_seconds(self) -> float:
        return max(self.oldest_due_message_seconds, self.oldest_live_print_job_seconds)


def backlog() -> Backlog:
    now = utcnow()
    outbox = {state.value: 0 for state in MessageState}
    for state, count in db.session.execute(
        sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    ):
        outbox[state.value] = count
    print_jobs = {state.value: 0 for state in PrintState}
    for state, count in db.session.execute(
        sa.select(PrintJob.state, sa.func.count()).group_by(PrintJob.state)
    ):
        print_jobs[state.value] = count
    oldest_due = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.state == MessageState.QUEUED, OutboxMessage.next_attempt_at <= now
        )
    )
    oldest_job = db.session.scalar(
        sa.select(sa.func.min(PrintJob.progressed_at)).where(
            PrintJob.state.in_((PrintState.QUEUED, PrintState.RUNNING))
        )
    )
    return Backlog(outbox, print_jobs, _age(oldest_due, now), _age(oldest_job, now))


def queue_length() -> int | None:
    """Tasks waiting in the queue; None when the queue cannot be asked (Redis down)."""
    try:
        return int(huey_of(current_app).pending_count())
    except Exception:  # redis.ConnectionError, a locked SQLite file
        return None


def _age(moment, now) -> float:
    if moment is None:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (now - moment).total_seconds())
