"""Files chosen in a form are checked and kept at once, so that a form that fails for any
other reason never asks for them again; they belong to the answer once the form is saved."""

from __future__ import annotations

from flask_login import current_user

from seal_app.applications import evidence
from seal_app.applications.blueprint import max_file_bytes
from seal_app.applications.models import Application
from seal_app.database import transaction
from seal_app.uploads.checks import UploadRejectedError
from seal_app.uploads.store import UploadBatch
from seal_app.views import save_versioned


def save_with_uploads(
    application: Application, code: str, form, save, current, evidence_request=None
):
    """Keep every valid file whatever happens; run ``save`` only if the whole form is right.

    Returns (saved, what someone else saved meanwhile or None).
    """
    valid = form.validate_on_submit()
    _keep_files(application, code, form, evidence_request)
    _stage_uploads(application, code, form, evidence_request)
    valid = form.check_descriptions() and valid
    if not valid or form.upload_errors():
        return False, None
    descriptions = form.kept_descriptions()

    def save_and_attach() -> None:
        save()
        evidence.attach_staged(application, descriptions, current_user)

    return save_versioned(form, save_and_attach, current)


def _keep_files(application: Application, code: str, form, evidence_request=None) -> None:
    """Put the files kept from the form's earlier try back into their slots; forget those
    the person dropped. Only staged files of this application, criterion and request count."""
    request_id = evidence_request.id if evidence_request else None
    candidates = {
        file.id: file
        for file in application.files
        if file.staged and file.criterion_code == code and file.evidence_request_id == request_id
    }
    dropped = []
    for slot in form.upload_slots():
        file = candidates.pop(form.kept_id(slot) or 0, None)
        if file is not None and slot.drop.data:
            dropped.append(file)
            file = None
        form.keep(slot, file)
        if file is not None:
            try:
                evidence.refuse_duplicate(application, code, file.sha256, form.kept_files(slot))
            except UploadRejectedError as error:
                slot.file.errors = [*slot.file.errors, str(error)]
    if dropped:
        with UploadBatch() as batch, transaction():
            evidence.discard_staged(application, dropped, batch)


def _stage_uploads(application: Application, code: str, form, evidence_request=None) -> None:
    """Check and keep each newly chosen file in its slot, replacing a file kept there."""
    for slot in form.upload_slots():
        if not slot.chosen:
            continue
        try:
            with UploadBatch() as batch, transaction():
                stored = batch.save(slot.file.data, max_file_bytes())
                kept = evidence.attach_file(
                    application,
                    stored,
                    slot.description.data or "",
                    current_user,
                    code,
                    staged=True,
                    evidence_request=evidence_request,
                    pending=form.kept_files(slot),
                )
                if slot.kept_file is not None:
                    evidence.discard_staged(application, [slot.kept_file], batch)
        except UploadRejectedError as error:
            slot.file.errors = [*slot.file.errors, str(error)]
        else:
            form.keep(slot, kept)
