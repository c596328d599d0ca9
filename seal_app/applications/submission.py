"""Submitting an application and its receipts, the documents of record of each submission."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from seal_app.applications.models import (
    Application,
    ApplicationStatus,
    EvidenceRequest,
    Receipt,
)
from seal_app.applications.progress import Blocker, progress, submission_blockers
from seal_app.applications.receipt import receipt_pdf
from seal_app.applications.services import ApplicationError, catalogue_of, require_editable
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.certificates import signing
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications import messages
from seal_app.uploads.store import UploadBatch


def blockers_for(application: Application, today: date) -> list[Blocker]:
    return submission_blockers(application, progress(application, catalogue_of(application)), today)


def submit(application: Application, actor: User, today: date, batch: UploadBatch) -> None:
    """Submit: only in time, complete, with all votes; afterwards the school only reads."""
    require_editable(application)
    blockers = blockers_for(application, today)
    if blockers:
        raise ApplicationError(_("Der Antrag ist noch nicht vollständig."))
    submitted_at = utcnow()
    receipt = issue_receipt(application, batch, submitted_at)  # before any write: see there
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = submitted_at
    for file in [file for file in application.files if file.staged]:
        application.files.remove(file)  # leftovers of abandoned forms are not submitted
        batch.delete_on_success(file.stored_name)
    record("application.submitted", application, actor, receipt_sha256=receipt.sha256)
    messages.submission_received(application, receipt, receipt_name(application, receipt))


def issue_receipt(
    application: Application,
    batch: UploadBatch,
    issued_at: datetime,
    answered: EvidenceRequest | None = None,
) -> Receipt:
    """Make the receipt PDF once, sign it (PAdES) and store it with its SHA-256 as the
    document of record.

    Called before the caller changes anything, so that no write lock is held while the PDF is
    made; the file goes into ``batch`` and is removed again if the transaction fails.
    """
    with db.session.no_autoflush:
        data = receipt_pdf(application, catalogue_of(application), issued_at, answered)
    try:
        signed = signing.sign_document(data, "Eingangsbestätigung")
    except signing.SigningError as error:
        raise ApplicationError(
            _("Die Eingangsbestätigung kann nicht signiert werden: %(reason)s", reason=str(error))
        ) from error
    stored = batch.save_generated(signed.data, "Eingangsbestaetigung.pdf", "application/pdf")
    receipt = Receipt(
        issued_at=issued_at,
        stored_name=stored.stored_name,
        size=stored.size,
        sha256=stored.sha256,
        timestamp_pending=signed.timestamp_pending,
        evidence_request=answered,
    )
    application.receipts.append(receipt)
    return receipt


def receipt_name(application: Application, receipt: Receipt) -> str:
    """The file name a downloaded receipt gets."""
    name = f"Eingangsbestaetigung-{application.school.school_number}-{application.round.year}"
    number = application.receipts.index(receipt)
    return f"{name}-Ergaenzung-{number}.pdf" if number else f"{name}.pdf"
