"""Time-stamps added later: a certificate, feedback letter or receipt signed while the
time-stamping authority failed is marked ``timestamp_pending``; every ten minutes the worker
adds the validation data and a document time-stamp to the stored file (PAdES B-LT) and
replaces it and its SHA-256 in one transaction. The new file is written under a new name
first and the old one removed only after the commit, so nothing is ever half-written."""

from __future__ import annotations

import hashlib
import logging

import sqlalchemy as sa

from seal_app.applications.models import Receipt
from seal_app.audit.services import record
from seal_app.certificates import signing, timestamps
from seal_app.certificates.models import Certificate, FeedbackLetter
from seal_app.database import ConflictError, transaction
from seal_app.extensions import db
from seal_app.tasks import periodic
from seal_app.uploads import store
from seal_app.uploads.store import UploadBatch

log = logging.getLogger(__name__)

DOCUMENTS = (Certificate, FeedbackLetter, Receipt)
Document = Certificate | FeedbackLetter | Receipt


@periodic(minute="*/10")
def add_pending_timestamps() -> int:
    """Time-stamp every marked document while the authority answers; how many were done."""
    if not timestamps.configured():
        return 0
    done = 0
    for model in DOCUMENTS:
        query = sa.select(model.id).where(model.timestamp_pending).order_by(model.id)
        for document_id in list(db.session.scalars(query)):
            stamped = _stamp(model, document_id)
            if stamped is None:
                return done  # the authority still fails: the next run tries again
            done += stamped
    if done:
        timestamps.reset()
    return done


def _stamp(model: type[Document], document_id: int) -> int | None:
    """1 when the document got its time-stamp, 0 when it was skipped, None when the
    authority failed."""
    document = db.session.get(model, document_id)
    old_name, old_sha256 = document.stored_name, document.sha256
    data = store.path_of(old_name).read_bytes()
    db.session.rollback()  # no transaction stays open while the authority is asked
    if hashlib.sha256(data).hexdigest() != old_sha256:
        log.error("%s %s: stored file does not match its SHA-256", model.__tablename__, document_id)
        return 0
    try:
        stamped = signing.add_timestamp(data)
    except Exception as error:  # down, garbage, a refused request: try again later
        log.warning(
            "%s %s: still no time-stamp (%s: %s); next try in ten minutes",
            model.__tablename__,
            document_id,
            type(error).__name__,
            error,
        )
        return None
    try:
        with UploadBatch() as batch, transaction():
            document = db.session.get(model, document_id)
            if not document.timestamp_pending or document.stored_name != old_name:
                return 0  # done meanwhile by another run
            stored = batch.save_generated(stamped, "signed.pdf", "application/pdf")
            batch.delete_on_success(old_name)
            document.stored_name, document.size = stored.stored_name, stored.size
            document.sha256, document.timestamp_pending = stored.sha256, False
            record(
                "document.timestamp_added",
                document,
                None,
                previous_sha256=old_sha256,
                sha256=stored.sha256,
            )
    except ConflictError:
        return 0  # changed meanwhile (a revocation): the next run tries again
    log.info("%s %s: time-stamp added (PAdES B-LT)", model.__tablename__, document_id)
    return 1
