"""Starting an application and saving its self-assessment. Callers wrap every state change in
``transaction()`` and an ``UploadBatch``, so that a failure leaves neither rows nor files behind.

Evidence files and votes are in ``evidence``, submission and receipts in ``submission``,
requests for more evidence and the school's answers in ``evidence_requests``."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CriterionAnswer,
    EvidenceFile,
    RenewalNote,
)
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue import renewal
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.model import Catalogue
from seal_app.certificates import paper_import, revocation
from seal_app.database import ConflictError, claim_version
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.schools.models import School
from seal_app.uploads.store import UploadBatch

ANSWER_FIELDS = ("self_rating", "measures", "since", "participants", "partners")


class ApplicationError(Exception):
    """A rule was broken; the message is for the user."""


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
    if previous is not None and revocation.is_revoked(previous.id):
        previous = None  # a revoked seal is not renewed: the school applies afresh
    paper_seal = None if previous else paper_import.renewable_seal(school.id)
    application = Application(
        school=school,
        round=round_,
        created_by_id=actor.id,
        kind=ApplicationKind.RENEWAL if previous or paper_seal else ApplicationKind.FIRST,
        previous_application=previous,
        previous_certificate_id=paper_seal.id if paper_seal else None,  # no answers to carry
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
    codes = renewal.kept_codes(catalogue_of(previous), catalogue_of(application))
    for old in previous.answers:
        if old.criterion_code not in codes:
            continue  # the criterion is gone from the new catalogue version
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


def versioned_record(existing, expected_version: int | None, create):
    """The record a form may change: a new one if the form showed none and there is none, the
    existing one if the form showed its current version; otherwise ``ConflictError``."""
    if existing is None and expected_version is None:
        return create()  # a second creation at the same moment breaks the unique constraint
    if existing is None:
        raise ConflictError
    claim_version(existing, expected_version)
    return existing


def appended(collection: list, item):
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
    answer = versioned_record(
        application.answer_for(code),
        expected_version,
        lambda: appended(application.answers, CriterionAnswer(criterion_code=code)),
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


def save_renewal_note(
    application: Application,
    area_code: str,
    changes: str,
    advice_response: str,
    expected_version: int | None,
    actor: User,
) -> RenewalNote:
    require_editable(application)
    note = versioned_record(
        application.renewal_note(area_code),
        expected_version,
        lambda: appended(application.renewal_notes, RenewalNote(area_code=area_code)),
    )
    note.changes, note.advice_response = changes.strip(), advice_response.strip()
    db.session.flush()
    return note
