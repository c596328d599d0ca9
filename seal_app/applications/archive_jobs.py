"""Evidence archives too large for the request: made by the task queue, downloaded by the
person who asked, removed a day after they were made.

The file is written to ``*.part`` and renamed when complete, so a download never gets half an
archive; a failure is recorded on the archive and leaves no file. An archive whose worker stops
is given up after ``STALLED_AFTER``, so that it can be asked for again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from seal_app.applications import evidence_archive
from seal_app.applications.archive_models import (
    LIVE_ARCHIVE_STATES,
    ArchiveState,
    EvidenceArchive,
)
from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.tasks import background, periodic

log = logging.getLogger(__name__)
STALLED_AFTER = timedelta(minutes=30)


class LeaseLost(Exception):
    """The archive was given up (or removed) while this run worked on it: stop."""


# --- paths and state --------------------------------------------------------------------------


def folder() -> Path:
    return Path(current_app.config["EVIDENCE_ZIP_DIR"])


def zip_path(archive: EvidenceArchive) -> Path:
    return folder() / f"{archive.file_stem}.zip"


def part_path(archive: EvidenceArchive) -> Path:
    return folder() / f"{archive.file_stem}.zip.part"


def keep_for() -> timedelta:
    return timedelta(hours=current_app.config["EVIDENCE_ZIP_KEEP_HOURS"])


def expires_at(archive: EvidenceArchive) -> datetime | None:
    return archive.finished_at + keep_for() if archive.finished_at else None


def downloadable(archive: EvidenceArchive, now: datetime) -> bool:
    return (
        archive.state is ArchiveState.DONE
        and now < expires_at(archive)
        and zip_path(archive).is_file()
    )


def own_archive(application: Application, archive_id: int, user: User) -> EvidenceArchive | None:
    """The archive if it is of this application and was asked for by ``user``."""
    archive = db.session.get(EvidenceArchive, archive_id)
    if archive is None or archive.application_id != application.id:
        return None
    return archive if archive.requested_by_id == user.id else None


def latest_of(application: Application, user: User) -> EvidenceArchive | None:
    return db.session.scalar(
        sa.select(EvidenceArchive)
        .where(
            EvidenceArchive.application_id == application.id,
            EvidenceArchive.requested_by_id == user.id,
        )
        .order_by(EvidenceArchive.id.desc())
        .limit(1)
    )


# --- asking for one ---------------------------------------------------------------------------


def start(application: Application, actor: User, now: datetime) -> tuple[EvidenceArchive, bool]:
    """A new archive for ``actor`` (inside the caller's transaction; enqueue it after the
    commit), or the one of theirs already under way: ``(archive, created)``."""
    running = latest_of(application, actor)
    live = running is not None and not running.state.finished
    if live and not give_up_if_stalled(running, now):
        return running, False
    count, _size = evidence_archive.totals(application)
    archive = EvidenceArchive(
        application_id=application.id,
        requested_by_id=actor.id,
        total=count,
        requested_at=now,
        progressed_at=now,
    )
    db.session.add(archive)
    db.session.flush()
    return archive, True


def give_up_if_stalled(archive: EvidenceArchive, now: datetime) -> bool:
    """Mark a live archive failed when nothing has moved for ``STALLED_AFTER``."""
    if archive.state.finished or now - archive.progressed_at < STALLED_AFTER:
        return False
    archive.state = ArchiveState.FAILED
    archive.error = _(
        "Das ZIP-Archiv wurde nicht fertig: Der Hintergrunddienst hat %(minutes)d Minuten lang "
        "nicht daran weitergearbeitet. Bitte lassen Sie es noch einmal erstellen.",
        minutes=int(STALLED_AFTER.total_seconds() // 60),
    )
    archive.finished_at = now
    part_path(archive).unlink(missing_ok=True)
    db.session.flush()
    return True


# --- the worker makes the file ----------------------------------------------------------------


@background()
def build_archive(archive_id: int) -> None:
    """The task: make the archive once, whoever else picks it up."""
    run(archive_id)


def run(archive_id: int) -> EvidenceArchive | None:
    archive = _claim(archive_id)
    if archive is None:
        return None
    part = part_path(archive)
    try:
        _make(archive, part)
    except LeaseLost:
        log.warning("evidence archive %s was given up; this run stops", archive_id)
        db.session.rollback()
        part.unlink(missing_ok=True)
        return None
    except Exception:
        log.exception("evidence archive %s failed", archive_id)
        db.session.rollback()
        part.unlink(missing_ok=True)
        archive = db.session.get(EvidenceArchive, archive_id)
        if archive is not None:
            archive.state = ArchiveState.FAILED
            archive.error = _(
                "Das ZIP-Archiv konnte nicht erstellt werden. Bitte versuchen Sie es noch einmal."
            )
            archive.finished_at = utcnow()
            db.session.commit()
    return archive


def _claim(archive_id: int) -> EvidenceArchive | None:
    """Mark a queued archive as being made; None if it is gone or already taken."""
    claimed = db.session.execute(
        sa.update(EvidenceArchive)
        .where(EvidenceArchive.id == archive_id, EvidenceArchive.state == ArchiveState.QUEUED)
        .values(state=ArchiveState.RUNNING, progressed_at=utcnow())
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.get(EvidenceArchive, archive_id)


def _make(archive: EvidenceArchive, part: Path) -> None:
    archive_id = archive.id
    application = archive.application
    archive.total, archive.done = evidence_archive.totals(application)[0], 0
    db.session.commit()
    folder().mkdir(parents=True, exist_ok=True)
    with part.open("wb") as handle:
        evidence_archive.write(application, handle, lambda done: heartbeat(archive_id, done))
    heartbeat(archive_id, archive.total)  # still this run's archive: only then is it moved
    part.replace(zip_path(archive))
    archive.size = zip_path(archive).stat().st_size
    archive.state = ArchiveState.DONE
    archive.finished_at = utcnow()
    db.session.commit()


def heartbeat(archive_id: int, done: int) -> None:
    """Store the progress (the page reads it) and with it the sign of life."""
    moved = db.session.execute(
        sa.update(EvidenceArchive)
        .where(EvidenceArchive.id == archive_id, EvidenceArchive.state == ArchiveState.RUNNING)
        .values(done=done, progressed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if moved.rowcount != 1:
        raise LeaseLost(archive_id)


# --- removing them ----------------------------------------------------------------------------


def expired(now: datetime) -> list[EvidenceArchive]:
    """Archives finished more than ``EVIDENCE_ZIP_KEEP_HOURS`` ago, and live ones asked for
    that long ago (their worker is long gone)."""
    before = now - keep_for()
    return list(
        db.session.scalars(
            sa.select(EvidenceArchive).where(
                sa.or_(
                    EvidenceArchive.finished_at < before,
                    sa.and_(
                        EvidenceArchive.state.in_(LIVE_ARCHIVE_STATES),
                        EvidenceArchive.requested_at < before,
                    ),
                )
            )
        )
    )


def delete_expired(now: datetime) -> list[Path]:
    """Delete the expired archives' rows (in the caller's transaction); returns their files,
    for the caller to remove once the transaction has committed."""
    paths = []
    for archive in expired(now):
        paths += [zip_path(archive), part_path(archive)]
        db.session.delete(archive)
    db.session.flush()
    return paths


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@periodic(minute="40")
def hourly_cleanup() -> None:
    """Every hour: the archives of the day before leave the disk."""
    paths = delete_expired(utcnow())
    db.session.commit()
    remove_files(paths)
    if paths:
        log.info("evidence archives removed: %s", len(paths) // 2)
