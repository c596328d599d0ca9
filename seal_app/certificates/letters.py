"""The feedback letters as documents of record: made and signed (PAdES) once when the decision
is released, stored with their SHA-256, and served as stored from then on. A decision released
before letters were kept gets its letter at the first download."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from seal_app.applications.models import Application
from seal_app.applications.services import catalogue_of
from seal_app.audit.services import record
from seal_app.certificates import feedback, signing
from seal_app.certificates.issuing import CertificateError
from seal_app.certificates.models import Decision, FeedbackLetter
from seal_app.database import ConflictError, transaction
from seal_app.extensions import db
from seal_app.uploads import store
from seal_app.uploads.store import UploadBatch


def file_name(application: Application) -> str:
    return f"Rueckmeldung-{application.school.school_number}-{application.round.year}.pdf"


def letter_of(decision_id: int) -> FeedbackLetter | None:
    return db.session.scalar(
        sa.select(FeedbackLetter).where(FeedbackLetter.decision_id == decision_id)
    )


def issue(decision: Decision, batch: UploadBatch, actor=None) -> FeedbackLetter:
    """Draw, sign and store the letter of a released decision, in the caller's transaction."""
    application = decision.application
    content = feedback.feedback_of(application, catalogue_of(application), decision)
    try:
        signed = signing.sign_document(feedback.feedback_pdf(content), "Rückmeldung der Jury")
    except signing.SigningError as error:
        raise CertificateError(
            _("Die Rückmeldung kann nicht signiert werden: %(reason)s", reason=str(error))
        ) from error
    stored = batch.save_generated(signed.data, file_name(application), "application/pdf")
    letter = FeedbackLetter(
        decision_id=decision.id,
        stored_name=stored.stored_name,
        size=stored.size,
        sha256=stored.sha256,
        timestamp_pending=signed.timestamp_pending,
    )
    db.session.add(letter)
    db.session.flush()
    record(
        "feedback_letter.issued",
        letter,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        sha256=letter.sha256,
    )
    return letter


def stored_letter(decision: Decision) -> FeedbackLetter:
    """The decision's stored letter; made now for a decision released before letters were
    kept (a second request at the same moment finds the first one's letter)."""
    letter = letter_of(decision.id)
    if letter is not None:
        return letter
    try:
        with UploadBatch() as batch, transaction():
            return issue(decision, batch)
    except ConflictError:
        return letter_of(decision.id) or abort(409)


def letter_bytes(decision: Decision) -> bytes:
    """The signed letter as stored (for the printed rounds' ZIP)."""
    return store.path_of(stored_letter(decision).stored_name).read_bytes()
