"""Data for the retention tests: decided applications with evidence on either side of each
period, access requests and security-log entries; built directly in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    EvidenceFile,
    Receipt,
    Vote,
    VoteKind,
)
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import SecurityEvent, SecurityEventKind
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.schools.models import Position
from seal_app.uploads.store import UploadBatch
from tests.certificates.print_setup import round_with_certificates

PERSON = "Max Mustermann"  # in file names, descriptions and requests: never in the audit log
LONG_AGO = 400  # days: beyond the default periods (12 months, 90 days)
RECENTLY = 30  # days: within them


@dataclass
class Retention:
    due_applications: list[int]  # expired seal, refused long ago
    kept_applications: list[int]  # expired recently, still valid, refused recently, deferred
    due_files: list[str] = field(default_factory=list)  # stored names
    kept_files: list[str] = field(default_factory=list)
    certificate_files: list[str] = field(default_factory=list)
    receipt_files: list[str] = field(default_factory=list)
    due_request: int = 0
    kept_requests: list[int] = field(default_factory=list)
    security_old: int = 2
    security_new: int = 1


def build(app, make) -> Retention:
    today = date.today()
    printed = round_with_certificates(app, make, 3)
    refused_long_ago, refused_recently, deferred = (
        make.school(number=f"8000{index}", name=f"Regionale Schule {index}") for index in range(3)
    )
    with app.app_context(), UploadBatch() as batch:
        certificates = list(db.session.scalars(sa.select(Certificate).order_by(Certificate.number)))
        expired_long_ago, expired_recently, valid = certificates
        expired_long_ago.valid_until = today - timedelta(days=LONG_AGO)
        expired_recently.valid_until = today - timedelta(days=RECENTLY)
        valid.valid_until = today + timedelta(days=LONG_AGO)
        refused_old = _decided(refused_long_ago, printed.round_id, ApplicationStatus.NOT_AWARDED)
        refused_new = _decided(
            refused_recently, printed.round_id, ApplicationStatus.NOT_AWARDED, RECENTLY
        )
        deferred_old = _decided(deferred, printed.round_id, ApplicationStatus.DEFERRED)
        data = Retention(
            due_applications=[expired_long_ago.application_id, refused_old.id],
            kept_applications=[
                expired_recently.application_id,
                valid.application_id,
                refused_new.id,
                deferred_old.id,
            ],
            certificate_files=[certificate.stored_name for certificate in certificates],
        )
        for application_id in data.due_applications:
            data.due_files += _evidence(application_id, batch, with_vote=True)
            data.receipt_files.append(_receipt(application_id, batch))
        for application_id in data.kept_applications:
            data.kept_files += _evidence(application_id, batch, with_vote=True)
        data.due_request = _request(refused_long_ago, AccessRequestStatus.DECLINED, LONG_AGO)
        data.kept_requests = [
            _request(refused_long_ago, AccessRequestStatus.DECLINED, RECENTLY),
            _request(refused_long_ago, AccessRequestStatus.APPROVED, LONG_AGO),
            _request(refused_long_ago, AccessRequestStatus.PENDING, None),
        ]
        for days in (LONG_AGO, 91, 10):
            db.session.add(
                SecurityEvent(
                    occurred_at=utcnow() - timedelta(days=days),
                    event=SecurityEventKind.LOGIN_FAILED,
                    email="max.mustermann@example.org",
                    address="192.0.2.1",
                )
            )
        db.session.commit()
    return data


def _decided(school_id: int, round_id: int, status, days_ago: int = LONG_AGO) -> Application:
    application = Application(
        school_id=school_id,
        round_id=round_id,
        kind=ApplicationKind.FIRST,
        status=status,
        submitted_at=utcnow() - timedelta(days=days_ago + 60),
        decided_at=utcnow() - timedelta(days=days_ago),
    )
    db.session.add(application)
    db.session.flush()
    return application


def _evidence(application_id: int, batch: UploadBatch, with_vote: bool) -> list[str]:
    """Two files for criterion A.1 and one vote document."""
    files = []
    for index in range(3):
        stored = batch.save_generated(
            f"%PDF-1.4 Nachweis {application_id}-{index}".encode(),
            f"Foto {PERSON} {index}.pdf",
            "application/pdf",
        )
        file = EvidenceFile(
            application_id=application_id,
            criterion_code="A.1" if index < 2 else None,
            stored_name=stored.stored_name,
            display_name=stored.display_name,
            description=f"Projekttag mit {PERSON}",
            media_type=stored.media_type,
            size=stored.size,
            sha256=stored.sha256,
        )
        db.session.add(file)
        files.append(file)
    db.session.flush()
    if with_vote:
        db.session.add(
            Vote(
                application_id=application_id,
                kind=VoteKind.SCHOOL_CONFERENCE,
                decided_on=date(2020, 1, 15),
                document_id=files[2].id,
            )
        )
    return [file.stored_name for file in files]


def _receipt(application_id: int, batch: UploadBatch) -> str:
    stored = batch.save_generated(b"%PDF-1.4 Eingang", "Eingang.pdf", "application/pdf")
    db.session.add(
        Receipt(
            application_id=application_id,
            stored_name=stored.stored_name,
            size=stored.size,
            sha256=stored.sha256,
        )
    )
    return stored.stored_name


def _request(school_id: int, status: AccessRequestStatus, days_ago: int | None) -> int:
    request = AccessRequest(
        school_id=school_id,
        name=PERSON,
        position=Position.HEAD,
        email="max.mustermann@example.org",
        status=status,
        decline_reason="Keine Lehrkraft dieser Schule"
        if status is AccessRequestStatus.DECLINED
        else None,
        decided_at=utcnow() - timedelta(days=days_ago) if days_ago is not None else None,
    )
    db.session.add(request)
    db.session.flush()
    return request.id


def retention_audit(app) -> list[AuditEntry]:
    """The audit entries retention wrote, oldest first (detached, to read after the context)."""
    with app.app_context():
        entries = list(
            db.session.scalars(
                sa.select(AuditEntry)
                .where(AuditEntry.action.startswith("retention."))
                .order_by(AuditEntry.id)
            )
        )
        db.session.expunge_all()
        return entries


def run_retention(app, *args: str):
    """``flask seal retention ARGS``; an exit code is fine, a traceback is not."""
    result = app.test_cli_runner().invoke(args=["seal", "retention", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result
