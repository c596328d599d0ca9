"""Evidence files and the documents of the votes: attach, keep for a failed form, describe,
replace, delete. Callers wrap them in ``transaction()`` and an ``UploadBatch``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from seal_app.applications.models import (
    Application,
    EvidenceFile,
    EvidenceRequest,
    Vote,
    VoteKind,
)
from seal_app.applications.services import ApplicationError, require_editable
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.formatting import file_size
from seal_app.uploads.checks import UploadRejectedError
from seal_app.uploads.store import StoredFile, UploadBatch


def attach_file(
    application: Application,
    stored: StoredFile,
    description: str,
    actor: User,
    criterion_code: str | None,
    staged: bool = False,
    evidence_request: EvidenceRequest | None = None,
    pending: Sequence[EvidenceFile] = (),
) -> EvidenceFile:
    """Add an uploaded file; ``pending``: files kept for the same form, not yet attached."""
    if criterion_code is not None:
        refuse_duplicate(application, criterion_code, stored.sha256, pending)
    limit = current_app.config["UPLOAD_MAX_APPLICATION_BYTES"]
    used = sum(file.size for file in application.files)
    if used + stored.size > limit:
        raise UploadRejectedError(
            _(
                "Mit dieser Datei würde der Antrag die Grenze von %(limit)s überschreiten "
                "(bisher belegt: %(used)s).",
                limit=file_size(limit),
                used=file_size(used),
            )
        )
    evidence = EvidenceFile(
        criterion_code=criterion_code,
        stored_name=stored.stored_name,
        display_name=stored.display_name,
        description=description.strip(),
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
        staged=staged,
        evidence_request=evidence_request,
    )
    application.files.append(evidence)
    db.session.flush()
    if not staged:
        _record_upload(evidence, actor)
    return evidence


def refuse_duplicate(
    application: Application, code: str, sha256: str, pending: Sequence[EvidenceFile] = ()
) -> None:
    """The same content (SHA-256) is attached to a criterion only once."""
    for file in application.files_for(code):
        if file.sha256 == sha256:
            raise UploadRejectedError(
                _(
                    "Diese Datei ist bei %(code)s schon als „%(name)s“ gespeichert. "
                    "Dieselbe Datei wird nur einmal angenommen.",
                    code=code,
                    name=file.display_name,
                )
            )
    for file in pending:
        if file.sha256 == sha256:
            raise UploadRejectedError(
                _(
                    "Diese Datei haben Sie in diesem Formular schon gewählt („%(name)s“). "
                    "Dieselbe Datei wird nur einmal angenommen.",
                    name=file.display_name,
                )
            )


def _record_upload(file: EvidenceFile, actor: User) -> None:
    """A criterion's evidence, or the document of a vote (a file without a criterion)."""
    where = {"criterion": file.criterion_code} if file.criterion_code else {}
    record(
        "evidence.uploaded" if file.criterion_code else "vote.document_uploaded",
        file,
        actor,
        application_id=file.application_id,
        **where,
        file=file.display_name,
        description=file.description,
        sha256=file.sha256,
        size=file.size,
    )


def attach_staged(application: Application, descriptions: dict[int, str], actor: User) -> None:
    """Files kept from a form that failed validation belong to the answer once it is saved,
    each with the description typed next to it (``descriptions``: file id to text)."""
    for file in application.files:
        if file.staged and file.id in descriptions:
            file.description = descriptions[file.id].strip()
            file.staged = False
            _record_upload(file, actor)


def discard_staged(
    application: Application, files: Sequence[EvidenceFile], batch: UploadBatch
) -> None:
    """Forget files kept for a form that the person dropped or chose another file for."""
    for file in files:
        if file.staged and file in application.files:
            application.files.remove(file)
            batch.delete_on_success(file.stored_name)


def describe_files(application: Application, descriptions: dict[int, str], actor: User) -> None:
    """Change the descriptions of attached files (``descriptions``: file id to new text)."""
    require_editable(application)
    for file in application.files:
        new = descriptions.get(file.id)
        if file.staged or new is None or new.strip() == file.description:
            continue
        old, file.description = file.description, new.strip()
        record(
            "evidence.described",
            file,
            actor,
            application_id=application.id,
            criterion=file.criterion_code,
            file=file.display_name,
            old=old,
            new=file.description,
        )


def delete_file(
    application: Application, file: EvidenceFile, actor: User, batch: UploadBatch
) -> None:
    require_editable(application)
    _refuse_vote_document(application, file)
    answer = application.answer_for(file.criterion_code) if file.criterion_code else None
    application.files.remove(file)
    batch.delete_on_success(file.stored_name)
    record(
        "evidence.deleted",
        answer or application,
        actor,
        application_id=application.id,
        **({"criterion": file.criterion_code} if file.criterion_code else {}),
        file=file.display_name,
        sha256=file.sha256,
    )


def _refuse_vote_document(application: Application, file: EvidenceFile) -> None:
    if any(vote.document_id == file.id for vote in application.votes):
        raise ApplicationError(_("Dieses Dokument gehört zu einem Votum. Ersetzen Sie es dort."))


def replace_file(
    application: Application,
    file: EvidenceFile,
    stored: StoredFile,
    actor: User,
    batch: UploadBatch,
) -> EvidenceFile:
    require_editable(application)
    _refuse_vote_document(application, file)
    application.files.remove(file)
    db.session.flush()
    batch.delete_on_success(file.stored_name)
    new = attach_file(
        application, stored, file.description, actor, file.criterion_code, staged=True
    )
    new.staged = False  # recorded below, as a replacement rather than a new upload
    record(
        "evidence.replaced",
        new,
        actor,
        application_id=application.id,
        criterion=file.criterion_code,
        old=_file_details(file),
        new=_file_details(new),
    )
    return new


def _file_details(file: EvidenceFile) -> dict:
    return {"name": file.display_name, "sha256": file.sha256, "size": file.size}


def save_vote(
    application: Application,
    kind: VoteKind,
    decided_on: date,
    document: EvidenceFile | None,
    actor: User,
    batch: UploadBatch,
) -> Vote:
    """Record a vote with its date; a new document (a file kept by ``attach_file`` with
    ``staged``, so that a failed form never loses it) replaces the old one."""
    require_editable(application)
    vote = application.vote(kind)
    if document is None and vote is None:
        raise UploadRejectedError(_("Bitte laden Sie das Dokument dazu hoch."))
    if document is not None:
        attach_staged(application, {document.id: document.description}, actor)
        if vote is not None:
            old = vote.document
            vote.document = document
            db.session.flush()
            application.files.remove(old)
            batch.delete_on_success(old.stored_name)
        else:
            vote = Vote(kind=kind, decided_on=decided_on, document=document)
            application.votes.append(vote)
    vote.decided_on = decided_on
    db.session.flush()
    record(
        "vote.saved",
        vote,
        actor,
        application_id=application.id,
        kind=kind.value,
        decided_on=decided_on.isoformat(),
    )
    return vote
