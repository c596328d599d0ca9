"""Deleting what is due: evidence files with their rows, declined access requests, old
security-log entries, old outbox e-mails, expired kept drafts and old audit entries, each
deletion written to the audit log by counts and ids only; evidence archives made for download
are removed a day after they were made (also hourly by ``archive_jobs``), without an entry.

What stays, and why: the application with the school's statements, the decision, the receipts
(the documents of record of what was submitted when) and the certificate with its stored PDF
remain as the record of the procedure and for the public verification. The evidence files are
what the jury needed for its review, and where personal data of staff and pupils lies (photos,
protocols); once the seal has ended or was refused and the period has passed, their purpose is
fulfilled. A vote (Votum) is its document with a date, so it goes with the document.

Stored files are removed only after the rows' transaction has committed (``UploadBatch``), so a
failed run leaves every file in place, and a second run finds nothing more to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from seal_app.accounts.models import AccessRequest
from seal_app.applications import archive_jobs
from seal_app.applications.models import Application, EvidenceFile, Vote
from seal_app.audit.services import record
from seal_app.auth.models import SecurityEvent
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.drafts import services as drafts
from seal_app.extensions import db
from seal_app.local_time import local_today, local_zone
from seal_app.notifications.models import OutboxMessage
from seal_app.retention import audit_log, policy
from seal_app.tasks import periodic
from seal_app.uploads.store import UploadBatch


@dataclass(frozen=True)
class Deleted:
    applications: int = 0
    files: int = 0
    size: int = 0
    votes: int = 0
    requests: int = 0
    security_events: int = 0
    outbox_messages: int = 0
    drafts: int = 0
    audit_entries: int = 0
    evidence_archives: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.files
            or self.votes
            or self.requests
            or self.security_events
            or self.outbox_messages
            or self.drafts
            or self.audit_entries
            or self.evidence_archives
        )


def due_today(today: date | None = None) -> policy.Due:
    """What is due on ``today`` (default: the local date) under the configured periods."""
    periods = policy.periods_of(current_app.config)
    return policy.due_on(today or local_today(), periods, local_zone())


def delete_due(today: date | None = None) -> Deleted:
    """Delete everything due on ``today`` in one transaction, then the stored files.

    Raises RetentionSettingError for a bad setting and ConflictError when another run (or an
    edit) touched the same rows at the same moment; nothing is deleted then."""
    periods = policy.periods_of(current_app.config)
    archives: list[Path] = []
    with UploadBatch() as batch, transaction():
        due = policy.due_on(today or local_today(), periods, local_zone())
        deleted = Deleted()
        for item in due.evidence:
            deleted = _add(deleted, delete_evidence(item, periods, batch))
        if due.requests:
            deleted = _add(deleted, delete_requests(due.requests, periods))
        if due.security_events:
            deleted = _add(deleted, delete_security_events(due, periods))
        if due.outbox_messages:
            deleted = _add(deleted, delete_outbox_messages(due))
        if due.kept_drafts:
            deleted = _add(deleted, delete_kept_drafts(due))
        if due.audit_entries:
            deleted = _add(deleted, delete_audit_entries(due, periods))
        if due.evidence_archives:
            archives = archive_jobs.delete_expired(utcnow())
            deleted = _add(deleted, Deleted(evidence_archives=len(archives) // 2))
    archive_jobs.remove_files(archives)
    return deleted


def delete_evidence(item: policy.DueEvidence, periods: policy.Periods, batch) -> Deleted:
    """The application's evidence files and votes; the files leave the disk after commit."""
    application = db.session.get(Application, item.application_id)
    files = list(
        db.session.scalars(
            sa.select(EvidenceFile).where(EvidenceFile.application_id == application.id)
        )
    )
    votes = list(db.session.scalars(sa.select(Vote).where(Vote.application_id == application.id)))
    for vote in votes:
        db.session.delete(vote)
    db.session.flush()  # the votes point at their documents
    for file in files:
        batch.delete_on_success(file.stored_name)
        db.session.delete(file)
    size = sum(file.size for file in files)
    names_removed = audit_log.remove_file_names(application)
    months = (
        periods.evidence_after_seal_months
        if item.awarded
        else periods.evidence_after_refusal_months
    )
    record(
        "retention.evidence_deleted",
        application,
        None,
        count=len(files),
        size=size,
        votes=len(votes),
        basis="seal_ended" if item.awarded else "not_awarded",
        period_months=months,
        names_removed=names_removed,
    )
    return Deleted(applications=1, files=len(files), size=size, votes=len(votes))


def delete_requests(requests: list[policy.DueRequest], periods: policy.Periods) -> Deleted:
    for item in requests:
        request = db.session.get(AccessRequest, item.request_id)
        record(
            "retention.access_request_deleted",
            request,
            None,
            period_days=periods.declined_requests_days,
        )
        db.session.delete(request)
    return Deleted(requests=len(requests))


def delete_security_events(due: policy.Due, periods: policy.Periods) -> Deleted:
    result = db.session.execute(
        sa.delete(SecurityEvent).where(SecurityEvent.occurred_at < due.security_before)
    )
    count = result.rowcount
    record(
        "retention.security_log_deleted",
        None,
        None,
        count=count,
        before=due.security_before.astimezone(local_zone()).date().isoformat(),
        period_days=periods.security_log_days,
    )
    return Deleted(security_events=count)


def delete_outbox_messages(due: policy.Due) -> Deleted:
    """Sent and failed e-mails written before the cut-off; the audit entry holds only their
    number and the cut-off day, never a recipient, subject or text."""
    result = db.session.execute(
        sa.delete(OutboxMessage).where(policy.due_outbox(due.outbox_before))
    )
    count = result.rowcount
    record(
        "retention.outbox_deleted",
        None,
        None,
        count=count,
        before=due.outbox_before.astimezone(local_zone()).date().isoformat(),
    )
    return Deleted(outbox_messages=count)


def delete_kept_drafts(due: policy.Due) -> Deleted:
    """Forms' text kept after a login ended and never picked up; logged by number only."""
    count = drafts.delete_expired(due.drafts_before)
    record("retention.drafts_deleted", None, None, count=count)
    return Deleted(drafts=count)


def delete_audit_entries(due: policy.Due, periods: policy.Periods) -> Deleted:
    """Audit entries older than the period (the record of a seal still valid stays); logged
    by their number and the cut-off day."""
    count = audit_log.delete_due(due.audit_before, due.today)
    record(
        "retention.audit_log_deleted",
        None,
        None,
        count=count,
        before=due.audit_before.astimezone(local_zone()).date().isoformat(),
        period_days=periods.audit_log_days,
    )
    return Deleted(audit_entries=count)


def _add(total: Deleted, more: Deleted) -> Deleted:
    return Deleted(
        *(getattr(total, name) + getattr(more, name) for name in Deleted.__dataclass_fields__)
    )


@periodic(minute="30", hour="3", day_of_week="0")
def weekly_retention() -> None:
    """Sundays at 03:30, after the nightly backup; nothing unless RETENTION_ENABLED."""
    if not current_app.config["RETENTION_ENABLED"]:
        return
    try:
        deleted = delete_due()
    except ConflictError:
        current_app.logger.info("retention: another run was busy; next week again")
        return
    current_app.logger.info("retention: deleted %s", deleted)
