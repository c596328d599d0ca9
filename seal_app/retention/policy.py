"""What is due for deletion on a given day: plain functions over the settings and the data.

Nothing here changes data. Evidence files are due once the seal they supported is no longer
valid and its period has passed (awarded: after the certificate's ``valid_until``; not awarded:
after the decision); an application whose certificate is still valid is never due, whatever
else holds. Deferred decisions and undecided applications are never due. An e-mail in the
outbox is due once it was sent or failed and was written long enough ago; one still waiting
(or being sent) is never due. A kept draft (a form's text kept after the login ended) is due
once it has expired (``DRAFT_KEEP_HOURS``). Audit entries are due after
``AUDIT_RETENTION_DAYS`` (see ``audit_log``); an evidence archive made for download a day after
it was made (``EVIDENCE_ZIP_KEEP_HOURS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.applications import archive_jobs
from seal_app.applications.models import Application, ApplicationStatus, EvidenceFile
from seal_app.auth.models import SecurityEvent
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.drafts import services as drafts
from seal_app.extensions import db
from seal_app.local_time import months_later
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.retention import audit_log
from seal_app.rounds.models import Round
from seal_app.schools.models import School

SETTINGS = (
    "RETENTION_EVIDENCE_AFTER_SEAL_MONTHS",
    "RETENTION_EVIDENCE_AFTER_REFUSAL_MONTHS",
    "RETENTION_DECLINED_REQUESTS_DAYS",
    "RETENTION_SECURITY_LOG_DAYS",
    "RETENTION_OUTBOX_DAYS",
)
LONGEST = 1200  # months or days beyond this are a typo, not a period (100 years)
AUDIT_SETTING = "AUDIT_RETENTION_DAYS"
LONGEST_AUDIT_DAYS = 36500  # the audit log's period is years long: days up to 100 years


class RetentionSettingError(ValueError):
    """A period setting that is not a whole number from 0 to LONGEST; the message names it."""


@dataclass(frozen=True)
class Periods:
    evidence_after_seal_months: int
    evidence_after_refusal_months: int
    declined_requests_days: int
    security_log_days: int
    outbox_days: int
    audit_log_days: int


@dataclass(frozen=True)
class DueEvidence:
    """The evidence of one application: due because the seal ended or was refused."""

    application_id: int
    school_name: str
    round_year: int
    awarded: bool
    since: date  # the certificate's last valid day, or the day of the decision not to award
    files: int
    size: int


@dataclass(frozen=True)
class DueRequest:
    request_id: int
    school_number: str
    declined_on: date


@dataclass(frozen=True)
class Due:
    today: date
    evidence: list[DueEvidence]
    requests: list[DueRequest]
    security_events: int
    security_before: datetime  # entries before this moment are due
    outbox_messages: int
    outbox_before: datetime  # sent or failed messages written before this moment are due
    kept_drafts: int = 0  # forms' text kept after a login ended, expired before the day began
    drafts_before: datetime | None = None
    audit_entries: int = 0
    audit_before: datetime | None = None  # audit entries before this moment are due
    evidence_archives: int = 0  # ZIP archives made for download, kept for a day

    @property
    def is_empty(self) -> bool:
        return not (
            self.evidence
            or self.requests
            or self.security_events
            or self.outbox_messages
            or self.kept_drafts
            or self.audit_entries
            or self.evidence_archives
        )


def periods_of(config: Mapping[str, Any]) -> Periods:
    """The periods from the settings; raises RetentionSettingError naming a bad one."""
    values = [_setting(config, name, LONGEST) for name in SETTINGS]
    return Periods(*values, audit_log_days=_setting(config, AUDIT_SETTING, LONGEST_AUDIT_DAYS))


def _setting(config: Mapping[str, Any], name: str, longest: int) -> int:
    value = config.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= longest:
        raise RetentionSettingError(
            _(
                "Die Einstellung %(name)s muss eine ganze Zahl von 0 bis %(longest)s sein, "
                "nicht „%(value)s“.",
                name=name,
                longest=longest,
                value=value,
            )
        )
    return value


def start_of(day: date, zone: ZoneInfo) -> datetime:
    """Midnight at the start of ``day`` in the local time zone, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def due_on(today: date, periods: Periods, zone: ZoneInfo) -> Due:
    """Everything whose period has passed before ``today`` (a local date)."""
    security_before = start_of(
        date.fromordinal(today.toordinal() - periods.security_log_days), zone
    )
    outbox_before = start_of(date.fromordinal(today.toordinal() - periods.outbox_days), zone)
    audit_before = start_of(date.fromordinal(today.toordinal() - periods.audit_log_days), zone)
    return Due(
        today=today,
        evidence=due_evidence(today, periods, zone),
        requests=due_requests(today, periods, zone),
        security_events=db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SecurityEvent)
            .where(SecurityEvent.occurred_at < security_before)
        ),
        security_before=security_before,
        outbox_messages=db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(due_outbox(outbox_before))
        ),
        outbox_before=outbox_before,
        kept_drafts=drafts.expired_count(start_of(today, zone)),
        drafts_before=start_of(today, zone),
        audit_entries=audit_log.count_due(audit_before, today),
        audit_before=audit_before,
        evidence_archives=len(archive_jobs.expired(utcnow())),
    )


def due_outbox(before: datetime) -> sa.ColumnElement[bool]:
    """The outbox messages that are done with (sent or failed) and written before ``before``."""
    return sa.and_(
        OutboxMessage.state.in_([MessageState.SENT, MessageState.FAILED]),
        OutboxMessage.created_at < before,
    )


def due_evidence(today: date, periods: Periods, zone: ZoneInfo) -> list[DueEvidence]:
    """Applications with evidence files whose seal ended, or was refused, long enough ago."""
    files = (
        sa.select(
            EvidenceFile.application_id,
            sa.func.count().label("files"),
            sa.func.coalesce(sa.func.sum(EvidenceFile.size), 0).label("size"),
        )
        .group_by(EvidenceFile.application_id)
        .subquery()
    )
    valid = aliased(Certificate)
    still_valid = sa.exists().where(
        valid.application_id == Application.id, valid.valid_until >= today
    )
    seal_ended_before = months_later(today, -periods.evidence_after_seal_months)
    refused_before = start_of(months_later(today, -periods.evidence_after_refusal_months), zone)
    query = (
        sa.select(
            Application.id,
            School.name,
            Round.year,
            Application.decided_at,
            Certificate.valid_until,
            files.c.files,
            files.c.size,
        )
        .join(files, files.c.application_id == Application.id)
        .join(School, School.id == Application.school_id)
        .join(Round, Round.id == Application.round_id)
        .outerjoin(Certificate, Certificate.application_id == Application.id)
        .where(
            sa.not_(still_valid),
            sa.or_(
                Certificate.valid_until < seal_ended_before,
                sa.and_(
                    Certificate.id.is_(None),
                    Application.status == ApplicationStatus.NOT_AWARDED,
                    Application.decided_at < refused_before,
                ),
            ),
        )
        .order_by(Application.id)
    )
    return [
        DueEvidence(
            application_id=row.id,
            school_name=row.name,
            round_year=row.year,
            awarded=row.valid_until is not None,
            since=row.valid_until or row.decided_at.astimezone(zone).date(),
            files=row.files,
            size=int(row.size),
        )
        for row in db.session.execute(query)
    ]


def due_requests(today: date, periods: Periods, zone: ZoneInfo) -> list[DueRequest]:
    """Declined access requests decided long enough ago."""
    before = start_of(date.fromordinal(today.toordinal() - periods.declined_requests_days), zone)
    query = (
        sa.select(AccessRequest.id, School.school_number, AccessRequest.decided_at)
        .join(School, School.id == AccessRequest.school_id)
        .where(
            AccessRequest.status == AccessRequestStatus.DECLINED,
            AccessRequest.decided_at < before,
        )
        .order_by(AccessRequest.id)
    )
    return [
        DueRequest(row.id, row.school_number, row.decided_at.astimezone(zone).date())
        for row in db.session.execute(query)
    ]
