"""Requests for more evidence from the jury's side, and what the school added in answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from seal_app.applications import evidence_requests
from seal_app.applications.models import Application, EvidenceFile, EvidenceRequest
from seal_app.applications.services import ApplicationError
from seal_app.auth.models import Role, User
from seal_app.catalogue.model import Catalogue, Criterion
from seal_app.reviews.models import Assignment


@dataclass(frozen=True)
class CriterionChange:
    """What the school added for one criterion in answer to one request for more."""

    evidence_request: EvidenceRequest
    code: str
    text: str  # the added text ('' if none)
    files: tuple[EvidenceFile, ...]  # files attached in answer to the request
    answer_changed: bool  # the statement itself was saved after the request

    @property
    def requested_at(self):
        return self.evidence_request.created_at


def changes_since_request(application: Application, code: str) -> list[CriterionChange]:
    """For each answered request naming ``code``: the added text and files, and whether the
    statement changed after the request; requests the school added nothing to are left out."""
    answer = application.answer_for(code)
    changes = []
    for evidence_request in application.evidence_requests:
        if evidence_request.answered_at is None or code not in evidence_request.criteria_codes:
            continue
        response = evidence_request.response_for(code)
        files = tuple(
            file
            for file in application.files
            if file.evidence_request_id == evidence_request.id
            and file.criterion_code == code
            and not file.staged
        )
        answer_changed = answer is not None and answer.updated_at > evidence_request.created_at
        text = response.text.strip() if response is not None else ""
        if text or files or answer_changed:
            changes.append(CriterionChange(evidence_request, code, text, files, answer_changed))
    return changes


def changed_codes(application: Application) -> set[str]:
    """The criteria with something added in answer to a request (for lists and home pages)."""
    codes = {
        code
        for evidence_request in application.evidence_requests
        for code in evidence_request.criteria_codes
    }
    return {code for code in codes if changes_since_request(application, code)}


def criteria_by_area(catalogue: Catalogue) -> list[tuple[str, str, list[Criterion]]]:
    """(area code, area title, criteria) in catalogue order, for the choice of criteria."""
    return [(area.code, area.title, list(area.criteria)) for area in catalogue.areas]


def request_more(
    application: Application,
    message: str,
    codes: list[str],
    due_date: date,
    actor: User,
    today: date,
    assignment: Assignment | None = None,
) -> EvidenceRequest:
    """A request for more from the office or from an assessor (``assignment``: theirs, cleared);
    an assessor who has submitted their review asks no more."""
    if due_date < today:
        raise ApplicationError(_("Die Frist darf nicht in der Vergangenheit liegen."))
    if actor.role is Role.ASSESSOR:
        review = assignment.review if assignment is not None else None
        if assignment is None or not assignment.has_access:
            raise ApplicationError(_("Nachforderungen sind nur zu Ihren eigenen Anträgen möglich."))
        if review is not None and review.is_submitted:
            raise ApplicationError(
                _("Ihr Gutachten ist abgegeben; Nachforderungen sind nicht mehr möglich.")
            )
    return evidence_requests.request_more_evidence(application, message, codes, due_date, actor)


def may_request(application: Application) -> bool:
    """Whether a request for more can be sent now (right state, none open)."""
    return application.status in evidence_requests.REQUESTABLE and application.open_request is None
