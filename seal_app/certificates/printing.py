"""Printing a whole round: all certificates, or all feedback letters, of a round as one PDF and
as a ZIP of single PDFs, made by the task queue while the office watches the progress.

The ZIP holds the documents of record (the signed certificates as issued, the letters as the
school downloads them); the one PDF is for the printer. Both are written to ``*.part`` files
and renamed when complete, so a download never gets half a file. One document is held in
memory at a time; the ZIP is streamed to disk; what grows is the one PDF, kept until it is
written: the certificates' finished pages, the letters' pages and structure trees (about
1.3 MB of memory a letter, see benchmarks/print_round.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.certificates.models import (
    LIVE_PRINT_STATES,
    Certificate,
    Decision,
    PrintJob,
    PrintKind,
    PrintState,
)
from seal_app.certificates.round_documents import write_round
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.schools.models import School
from seal_app.tasks import background

log = logging.getLogger(__name__)

# A queued or running job that shows no progress for this long is taken as lost (its worker
# stopped or was killed) and marked failed, so that it can be started again.
STALLED_AFTER = timedelta(minutes=30)


class PrintError(Exception):
    """Nothing to print, or a rule was broken; the message is for the user."""


class LeaseLost(Exception):
    """The sweeper gave the job to another run (this worker was taken as gone): stop."""


Progress = Callable[[int, int], None]


# --- what a round has to print ----------------------------------------------------------------


def certificate_ids(round_id: int) -> list[int]:
    """The round's certificates that are not revoked, by number."""
    query = (
        sa.select(Certificate.id)
        .join(Certificate.application)
        .where(Application.round_id == round_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.number)
    )
    return list(db.session.scalars(query))


def letter_ids(round_id: int) -> list[int]:
    """The released decisions of the round (each gets a feedback letter), by school name."""
    query = (
        sa.select(Decision.id)
        .join(Decision.application)
        .join(Application.school)
        .where(Application.round_id == round_id, Decision.released_at.is_not(None))
        .order_by(School.name, Decision.id)
    )
    return list(db.session.scalars(query))


def items_of(round_id: int, kind: PrintKind) -> list[int]:
    return certificate_ids(round_id) if kind is PrintKind.CERTIFICATES else letter_ids(round_id)


# --- the office starts a job ------------------------------------------------------------------


def latest_jobs(round_id: int) -> dict[PrintKind, PrintJob]:
    """The newest job of each kind for the round."""
    jobs = db.session.scalars(
        sa.select(PrintJob).where(PrintJob.round_id == round_id).order_by(PrintJob.id)
    )
    return {job.kind: job for job in jobs}


def start(round_: Round, kind: PrintKind, actor: User, now: datetime) -> tuple[PrintJob, bool]:
    """A new job for the round (runs inside the caller's transaction; enqueue it after the
    commit), or the one already under way: ``(job, created)``. A second job started at the
    same moment is refused by the database (at most one live job per round and kind)."""
    running = live_job(round_.id, kind, now)
    if running is not None:
        return running, False
    total = len(items_of(round_.id, kind))
    if total == 0:
        raise PrintError(
            _("In dieser Runde gibt es keine Urkunde zum Drucken.")
            if kind is PrintKind.CERTIFICATES
            else _("In dieser Runde ist noch keine Entscheidung freigegeben.")
        )
    job = PrintJob(
        round_id=round_.id,
        kind=kind,
        total=total,
        requested_by_id=actor.id,
        requested_at=now,
        progressed_at=now,
    )
    db.session.add(job)
    db.session.flush()
    return job, True


def live_job(round_id: int, kind: PrintKind, now: datetime) -> PrintJob | None:
    """The job of the round and kind that is queued or running; one that has been quiet for
    too long (its worker stopped) is marked failed first."""
    job = db.session.scalar(
        sa.select(PrintJob).where(
            PrintJob.round_id == round_id,
            PrintJob.kind == kind,
            PrintJob.state.in_(LIVE_PRINT_STATES),
        )
    )
    if job is not None and give_up_if_stalled(job, now):
        return None
    return job


def give_up_if_stalled(job: PrintJob, now: datetime) -> bool:
    """Mark a live job failed when nothing has moved for ``STALLED_AFTER``."""
    if job.state.finished or now - job.progressed_at < STALLED_AFTER:
        return False
    job.state = PrintState.FAILED
    job.error = _(
        "Der Druck wurde abgebrochen: Der Hintergrunddienst hat %(minutes)d Minuten lang nicht "
        "daran weitergearbeitet. Bitte starten Sie ihn noch einmal.",
        minutes=int(STALLED_AFTER.total_seconds() // 60),
    )
    job.finished_at = now
    for path in part_paths(job):
        path.unlink(missing_ok=True)
    db.session.flush()
    return True


def latest_job(round_id: int, kind: PrintKind) -> PrintJob | None:
    return db.session.scalar(
        sa.select(PrintJob)
        .where(PrintJob.round_id == round_id, PrintJob.kind == kind)
        .order_by(PrintJob.id.desc())
        .limit(1)
    )


def revoked_since(job: PrintJob) -> list[str]:
    """Numbers of the round's certificates revoked after the job was started: its print still
    holds them."""
    if job.kind is not PrintKind.CERTIFICATES or job.state is not PrintState.DONE:
        return []
    query = (
        sa.select(Certificate.number)
        .join(Certificate.application)
        .where(Application.round_id == job.round_id, Certificate.revoked_at >= job.requested_at)
        .order_by(Certificate.number)
    )
    return list(db.session.scalars(query))


# --- the worker makes the files ---------------------------------------------------------------


@background()
def print_round(job_id: int) -> None:
    """The task: run the job once, whoever else picks it up."""
    run(job_id)


def run(job_id: int, progress: Progress | None = None) -> PrintJob | None:
    """Make the job's PDF and ZIP; a failure is recorded on the job, never half a file."""
    job = _claim(job_id)
    if job is None:
        return None
    own_parts = part_paths(job)
    try:
        _make(job, progress)
    except LeaseLost:
        log.warning("print job %s was handed to another run; this one stops", job_id)
        db.session.rollback()
        for path in own_parts:
            path.unlink(missing_ok=True)
        return None
    except Exception:
        log.exception("print job %s failed", job_id)
        db.session.rollback()
        for path in own_parts:
            path.unlink(missing_ok=True)
        job = db.session.get(PrintJob, job_id)
        job.state = PrintState.FAILED
        job.error = _("Der Druck ist fehlgeschlagen. Bitte starten Sie ihn noch einmal.")
        job.finished_at = utcnow()
        db.session.commit()
    return job


def _claim(job_id: int) -> PrintJob | None:
    """Mark a queued job as running; None if it is gone or already taken."""
    claimed = db.session.execute(
        sa.update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.state == PrintState.QUEUED)
        .values(state=PrintState.RUNNING, progressed_at=utcnow())
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.get(PrintJob, job_id)


def _make(job: PrintJob, progress: Progress | None) -> None:
    ids = items_of(job.round_id, job.kind)
    job.total, job.done = len(ids), 0
    stem, (pdf_part, zip_part) = job.file_stem, part_paths(job)
    db.session.commit()
    Path(current_app.config["PRINT_DIR"]).mkdir(parents=True, exist_ok=True)

    def advance(count: int) -> None:
        heartbeat(job.id, stem, count)  # the progress page reads it
        if progress:
            progress(count, job.total)

    write_round(job.round, job.kind, ids, pdf_part, zip_part, advance)
    heartbeat(job.id, stem, len(ids))  # still this run's job: only then are the files moved
    pdf_part.replace(pdf_path(job))
    zip_part.replace(zip_path(job))
    job.pdf_size = pdf_path(job).stat().st_size
    job.zip_size = zip_path(job).stat().st_size
    job.state = PrintState.DONE
    job.finished_at = utcnow()
    _replace_older(job)
    db.session.commit()


def heartbeat(job_id: int, stem: str, done: int) -> None:
    """Store the progress, and with it the sign of life the sweeper looks for. The files'
    name stands for this run: a job the sweeper started again has a new one, so a run that was
    taken as gone (``LeaseLost``) changes nothing and never writes into the new run's files."""
    moved = db.session.execute(
        sa.update(PrintJob)
        .where(
            PrintJob.id == job_id,
            PrintJob.state == PrintState.RUNNING,
            PrintJob.file_stem == stem,
        )
        .values(done=done, progressed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if moved.rowcount != 1:
        raise LeaseLost(job_id)


def _replace_older(job: PrintJob) -> None:
    """Only the newest print of a round and kind keeps its files (it can always be made
    again); the older one stays downloadable until this one is complete."""
    older = db.session.scalars(
        sa.select(PrintJob).where(
            PrintJob.round_id == job.round_id,
            PrintJob.kind == job.kind,
            PrintJob.id != job.id,
            PrintJob.state == PrintState.DONE,
        )
    )
    for item in older:
        for path in (pdf_path(item), zip_path(item)):
            path.unlink(missing_ok=True)
        item.state = PrintState.REPLACED


# --- the files --------------------------------------------------------------------------------


def pdf_path(job: PrintJob) -> Path:
    return Path(current_app.config["PRINT_DIR"]) / f"{job.file_stem}.pdf"


def zip_path(job: PrintJob) -> Path:
    return Path(current_app.config["PRINT_DIR"]) / f"{job.file_stem}.zip"


def part_paths(job: PrintJob) -> tuple[Path, Path]:
    return (
        pdf_path(job).with_name(pdf_path(job).name + ".part"),
        zip_path(job).with_name(zip_path(job).name + ".part"),
    )


def download_name(job: PrintJob, suffix: str) -> str:
    what = "Urkunden" if job.kind is PrintKind.CERTIFICATES else "Rueckmeldungen"
    return f"{what}-{job.round.year}.{suffix}"
