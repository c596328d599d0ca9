"""State changes of an application. Callers wrap them in ``transaction()`` and an
``UploadBatch``, so that a failure leaves neither rows nor files behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CriterionAnswer,
    EvidenceFile,
    EvidenceRequest,
    Receipt,
    RenewalNote,
    RequestResponse,
    Vote,
    VoteKind,
)
from seal_app.applications.progress import Blocker, progress, submission_blockers
from seal_app.applications.receipt import receipt_pdf
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.model import Catalogue
from seal_app.database import ConflictError, claim_version
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.formatting import file_size
from seal_app.local_time import local_today  # noqa: F401  (imported from here too)
from seal_app.notifications import messages
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.rounds.models import Round
from seal_app.schools.models import School
from seal_app.uploads.checks import UploadRejectedError
from seal_app.uploads.store import StoredFile, UploadBatch

ANSWER_FIELDS = ("self_rating", "measures", "since", "participants", "partners")


class ApplicationError(Exception):
    """A rule was broken; the message is for the user."""


class SupplementMissingError(ApplicationError):
    """Resubmitting while criteria named in the open request are still unanswered."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(
            ngettext(
                "Zu diesem Kriterium fehlt noch eine Ergänzung: %(codes)s",
                "Zu diesen Kriterien fehlt noch eine Ergänzung: %(codes)s",
                len(codes),
                codes=", ".join(codes),
            )
        )
        self.codes = codes


def catalogue_of(application: Application) -> Catalogue:
    return catalogue_services.from_record(application.round.catalogue)


def applications_of_school(school_id: int) -> list[Application]:
    query = (
        sa.select(Application)
        .where(Application.school_id == school_id)
        .join(Application.round)
        .order_by(Round.year.desc())
    )
    return list(db.session.scalars(query))


def last_awarded(school: School) -> Application | None:
    query = (
        sa.select(Application)
        .where(Application.school_id == school.id, Application.status == ApplicationStatus.AWARDED)
        .order_by(Application.decided_at.desc())
    )
    return db.session.scalars(query).first()


def start_application(
    school: School, round_: Round, actor: User, batch: UploadBatch, today: date
) -> Application:
    """Start the school's application; a renewal starts from the last awarded one."""
    if not round_.accepts_submissions_on(today):
        raise ApplicationError(
            _("In dieser Vergaberunde können keine Anträge mehr begonnen werden.")
        )
    existing = db.session.scalar(
        sa.select(Application).where(
            Application.school_id == school.id, Application.round_id == round_.id
        )
    )
    if existing is not None:
        return existing
    previous = last_awarded(school)
    application = Application(
        school=school,
        round=round_,
        created_by_id=actor.id,
        kind=ApplicationKind.RENEWAL if previous else ApplicationKind.FIRST,
        previous_application=previous,
    )
    db.session.add(application)
    if previous is not None:
        _carry_over(previous, application, batch)
    record(
        "application.started",
        application,
        actor,
        school_id=school.id,
        round_id=round_.id,
        kind=application.kind.value,
    )
    return application


def _carry_over(previous: Application, application: Application, batch: UploadBatch) -> None:
    """Copy statements and evidence, each marked „from last application, please check“."""
    codes = {criterion.code for criterion in catalogue_of(application).criteria}
    for old in previous.answers:
        if old.criterion_code not in codes:
            continue  # the criterion is gone from the new catalogue
        application.answers.append(
            CriterionAnswer(
                criterion_code=old.criterion_code,
                carried_over=True,
                **{name: getattr(old, name) for name in ANSWER_FIELDS},
            )
        )
    for old in previous.files:
        if old.criterion_code in codes and not old.staged:
            application.files.append(
                EvidenceFile(
                    criterion_code=old.criterion_code,
                    stored_name=batch.copy(old.stored_name),
                    display_name=old.display_name,
                    description=old.description,
                    media_type=old.media_type,
                    size=old.size,
                    sha256=old.sha256,
                    carried_over=True,
                )
            )


def _versioned(existing, expected_version: int | None, create):
    """The record a form may change: a new one if the form showed none and there is none, the
    existing one if the form showed its current version; otherwise ``ConflictError``."""
    if existing is None and expected_version is None:
        return create()  # a second creation at the same moment breaks the unique constraint
    if existing is None:
        raise ConflictError
    claim_version(existing, expected_version)
    return existing


def _added(collection: list, item):
    collection.append(item)
    return item


def require_editable(application: Application) -> None:
    if not application.is_editable:
        raise ApplicationError(_("Der Antrag ist eingereicht und kann nicht mehr geändert werden."))


def save_answer(
    application: Application,
    code: str,
    values: dict,
    expected_version: int | None,
    actor: User,
) -> CriterionAnswer:
    """Save the self-assessment of one criterion, refusing an edit based on an old version."""
    require_editable(application)
    actor_id = actor.id  # read first: loading it later would flush a new answer half-filled
    answer = _versioned(
        application.answer_for(code),
        expected_version,
        lambda: _added(application.answers, CriterionAnswer(criterion_code=code)),
    )
    changes = _answer_changes(answer, values)
    confirmed = answer.carried_over
    for name in ANSWER_FIELDS:
        setattr(answer, name, values[name])
    answer.carried_over = False
    answer.updated_by_id = actor_id
    for file in application.files_for(code):
        file.carried_over = False  # checked together with the statement
    db.session.flush()
    if changes or confirmed:
        # Whole old and new values (at most 10,000 characters each): the log is the only
        # place that shows who wrote what, and a digest could not be read by the office.
        record(
            "answer.saved",
            answer,
            actor,
            application_id=application.id,
            criterion=code,
            changes=changes,
            **({"carried_over_confirmed": True} if confirmed else {}),
        )
    return answer


def _answer_changes(answer: CriterionAnswer, values: dict) -> dict:
    """Old and new value of each field that changed; no value and an empty text are the same,
    so a first save names only the fields that got a value."""
    changes = {}
    for name in ANSWER_FIELDS:
        old, new = getattr(answer, name), values[name]
        if (old if old != "" else None) != (new if new != "" else None):
            changes[name] = {"old": old, "new": new}
    return changes


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


def save_renewal_note(
    application: Application,
    area_code: str,
    changes: str,
    advice_response: str,
    expected_version: int | None,
    actor: User,
) -> RenewalNote:
    require_editable(application)
    note = _versioned(
        application.renewal_note(area_code),
        expected_version,
        lambda: _added(application.renewal_notes, RenewalNote(area_code=area_code)),
    )
    note.changes, note.advice_response = changes.strip(), advice_response.strip()
    db.session.flush()
    return note


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


def issue_receipt(
    application: Application,
    batch: UploadBatch,
    issued_at: datetime,
    answered: EvidenceRequest | None = None,
) -> Receipt:
    """Make the receipt PDF once and store it with its SHA-256 as the document of record.

    Called before the caller changes anything, so that no write lock is held while the PDF is
    made; the file goes into ``batch`` and is removed again if the transaction fails.
    """
    with db.session.no_autoflush:
        data = receipt_pdf(application, catalogue_of(application), issued_at, answered)
    stored = batch.save_generated(data, "Eingangsbestaetigung.pdf", "application/pdf")
    receipt = Receipt(
        issued_at=issued_at,
        stored_name=stored.stored_name,
        size=stored.size,
        sha256=stored.sha256,
        evidence_request=answered,
    )
    application.receipts.append(receipt)
    return receipt


def receipt_name(application: Application, receipt: Receipt) -> str:
    """The file name a downloaded receipt gets."""
    name = f"Eingangsbestaetigung-{application.school.school_number}-{application.round.year}"
    number = application.receipts.index(receipt)
    return f"{name}-Ergaenzung-{number}.pdf" if number else f"{name}.pdf"


REQUESTABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW})


def request_more_evidence(
    application: Application,
    message: str,
    criteria_codes: list[str],
    due_date: date,
    actor: User,
) -> EvidenceRequest:
    """Send the application back to the school for more on the named criteria; possible once
    it is submitted and while it is under review, one open request at a time."""
    if application.open_request is not None:
        raise ApplicationError(
            _(
                "Zu diesem Antrag ist schon eine Nachforderung offen. Eine weitere ist erst "
                "möglich, wenn die Schule geantwortet hat."
            )
        )
    if application.status not in REQUESTABLE:
        raise ApplicationError(
            _("Nachforderungen sind nur zu eingereichten Anträgen in der Begutachtung möglich.")
        )
    known = {criterion.code for criterion in catalogue_of(application).criteria}
    if not criteria_codes:
        raise ApplicationError(_("Bitte nennen Sie die betroffenen Kriterien."))
    unknown = sorted(set(criteria_codes) - known)
    if unknown:
        raise ApplicationError(
            ngettext(
                "Dieses Kriterium gibt es im Katalog des Antrags nicht: %(codes)s",
                "Diese Kriterien gibt es im Katalog des Antrags nicht: %(codes)s",
                len(unknown),
                codes=", ".join(unknown),
            )
        )
    evidence_request = EvidenceRequest(
        message=message.strip(),
        criteria_codes=sorted(set(criteria_codes)),
        due_date=due_date,
        created_by_id=actor.id,
    )
    application.evidence_requests.append(evidence_request)
    application.status = ApplicationStatus.MORE_REQUESTED
    db.session.flush()
    record(
        "application.more_requested",
        application,
        actor,
        request_id=evidence_request.id,
        criteria=evidence_request.criteria_codes,
        due_date=due_date.isoformat(),
        role=actor.role.value,
    )
    messages.more_requested(application, evidence_request)
    return evidence_request


def _has_assessors(application: Application) -> bool:
    """Whether assessors work on the application (an answered request returns it to them)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Assignment.id)).where(
                Assignment.application_id == application.id,
                Assignment.conflict_state != ConflictState.CONFLICT,
            )
        )
        > 0
    )


def open_request_for(application: Application, code: str) -> EvidenceRequest:
    evidence_request = application.open_request
    if (
        application.status is not ApplicationStatus.MORE_REQUESTED
        or evidence_request is None
        or code not in evidence_request.criteria_codes
    ):
        raise ApplicationError(_("Zu diesem Kriterium ist keine Nachforderung offen."))
    return evidence_request


def save_request_response(
    application: Application,
    code: str,
    text: str,
    expected_version: int | None,
    actor: User,
) -> RequestResponse:
    evidence_request = open_request_for(application, code)
    response = _versioned(
        evidence_request.response_for(code),
        expected_version,
        lambda: _added(evidence_request.responses, RequestResponse(criterion_code=code)),
    )
    response.text = text.strip()
    db.session.flush()
    return response


def resubmit(application: Application, actor: User, batch: UploadBatch) -> None:
    """Answer the open request: every criterion named needs added text or a file."""
    evidence_request = application.open_request
    if application.status is not ApplicationStatus.MORE_REQUESTED or evidence_request is None:
        raise ApplicationError(_("Zu diesem Antrag ist keine Nachforderung offen."))
    missing = application.missing_supplements(evidence_request)
    if missing:
        raise SupplementMissingError(missing)
    answered_at = utcnow()
    evidence_request.answered_at = answered_at
    evidence_request.answered_by_id = actor.id
    receipt = issue_receipt(application, batch, answered_at, evidence_request)
    application.status = (
        ApplicationStatus.IN_REVIEW if _has_assessors(application) else ApplicationStatus.SUBMITTED
    )
    record(
        "application.resubmitted",
        application,
        actor,
        request_id=evidence_request.id,
        receipt_sha256=receipt.sha256,
    )
    messages.school_answered(application, evidence_request)
