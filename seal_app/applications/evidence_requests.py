"""Requests for more evidence: asked by the jury or the office, answered by the school."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from seal_app.applications.models import (
    Application,
    ApplicationStatus,
    EvidenceRequest,
    RequestResponse,
)
from seal_app.applications.services import (
    ApplicationError,
    appended,
    catalogue_of,
    versioned_record,
)
from seal_app.applications.submission import issue_receipt
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.formatting import codes as codes_text
from seal_app.notifications import messages
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.uploads.store import UploadBatch


class SupplementMissingError(ApplicationError):
    """Resubmitting while criteria named in the open request are still unanswered."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(
            ngettext(
                "Zu diesem Kriterium fehlt noch eine Ergänzung: %(codes)s",
                "Zu diesen Kriterien fehlt noch eine Ergänzung: %(codes)s",
                len(codes),
                codes=codes_text(codes),
            )
        )
        self.codes = codes


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
                codes=codes_text(unknown),
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
    response = versioned_record(
        evidence_request.response_for(code),
        expected_version,
        lambda: appended(evidence_request.responses, RequestResponse(criterion_code=code)),
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
