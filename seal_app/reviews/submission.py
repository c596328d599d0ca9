"""An assessor's review: drafts, submission, reopening by the office, and when all are in.

Callers wrap the state changes in ``transaction()`` (routes: ``save_versioned``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application, ApplicationStatus, EvidenceRequest
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue.model import Catalogue, Criterion
from seal_app.certificates.models import decision_taken
from seal_app.database import ConflictError, claim_version
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.formatting import codes as codes_text
from seal_app.notifications import messages
from seal_app.reviews.models import Assignment, ConflictState, Recommendation, Review


class ReviewError(Exception):
    """A rule of the review was broken; the message is for the user."""


class ReviewSubmittedError(ReviewError):
    """The review is already submitted: it is read-only until the office reopens it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Ihr Gutachten ist bereits abgegeben und kann nicht mehr geändert werden. "
                "Wenn etwas zu korrigieren ist, bitten Sie die Geschäftsstelle, es wieder zu "
                "öffnen."
            )
        )


class UnscoredError(ReviewError):
    """Submitting while criteria have no level yet."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(
            ngettext(
                "Zu diesem Kriterium fehlt noch Ihre Stufe: %(codes)s",
                "Zu diesen Kriterien fehlt noch Ihre Stufe: %(codes)s",
                len(codes),
                codes=codes_text(codes),
            )
        )
        self.codes = codes


@dataclass
class ReviewValues:
    """What the review form sends; ``advice``: area code to advice for the school."""

    recommendation: Recommendation | None = None
    summary: str = ""
    strengths: str = ""
    advice: dict[str, str] = field(default_factory=dict)


def is_submitted(assignment: Assignment) -> bool:
    return assignment.review is not None and assignment.review.is_submitted


def require_open(assignment: Assignment) -> None:
    """Refuse changes to a submitted review and its scores (for every service that writes)."""
    if is_submitted(assignment):
        raise ReviewSubmittedError


def unscored(assignment: Assignment, catalogue: Catalogue) -> list[Criterion]:
    """The criteria, in catalogue order, that have no level from this assessor yet."""
    levels = {score.criterion_code: score.level for score in assignment.scores}
    return [item for item in catalogue.criteria if levels.get(item.code) is None]


def save_review(
    assignment: Assignment,
    values: ReviewValues,
    expected_version: int | None,
    actor: User,
    catalogue: Catalogue,
) -> Review:
    """Keep a draft of the review; nothing is required yet."""
    review = _writable(assignment, expected_version)
    _apply(review, values, catalogue)
    db.session.flush()
    _record("review.saved", review, assignment, actor)
    return review


def submit_review(
    assignment: Assignment,
    values: ReviewValues,
    expected_version: int | None,
    actor: User,
    catalogue: Catalogue,
) -> Review:
    """Submit: every criterion has a level, a recommendation and a summary are given, and no
    request for more this assessor made is waiting for the school (one made by someone else
    does not hold them up). Afterwards the assessor only reads."""
    require_open(assignment)
    _check_complete(assignment, values, catalogue)
    review = _writable(assignment, expected_version)
    _apply(review, values, catalogue)
    review.submitted_at = utcnow()
    db.session.flush()
    _record(
        "review.submitted",
        review,
        assignment,
        actor,
        recommendation=review.recommendation.value,
    )
    return review


def reopen_review(
    assignment: Assignment, reason: str, expected_version: int | None, actor: User
) -> Review:
    """The office opens a submitted review again, with a reason the assessor sees."""
    review = assignment.review
    if review is None or not review.is_submitted:
        raise ReviewError(_("Dieses Gutachten ist nicht abgegeben; es gibt nichts zu öffnen."))
    if not reason.strip():
        raise ReviewError(_("Bitte geben Sie einen Grund an."))
    if assignment.application.decided_at is not None or decision_taken(assignment.application_id):
        raise ReviewError(
            _(
                "Über den Antrag ist entschieden oder die Entscheidung ist vorbereitet; das "
                "Gutachten bleibt, wie es ist."
            )
        )
    claim_version(review, expected_version)
    review.submitted_at = None
    review.reopened_at = utcnow()
    review.reopen_reason = reason.strip()
    db.session.flush()
    _record("review.reopened", review, assignment, actor, reason=review.reopen_reason)
    messages.review_reopened(assignment, review)
    return review


def _writable(assignment: Assignment, expected_version: int | None) -> Review:
    """The review a form may change: new if the form showed none and there is none, the
    existing one if the form showed its current version; otherwise ``ConflictError``."""
    if not assignment.has_access:
        raise ReviewError(_("Dieses Gutachten können Sie nicht bearbeiten."))
    require_open(assignment)
    review = assignment.review
    if review is None and expected_version is None:
        review = Review(assignment_id=assignment.id, advice={})
        assignment.review = review  # a second one at the same moment breaks the unique key
        return review
    if review is None:
        raise ConflictError
    claim_version(review, expected_version)
    return review


def _apply(review: Review, values: ReviewValues, catalogue: Catalogue) -> None:
    areas = [area.code for area in catalogue.areas]
    review.recommendation = values.recommendation
    review.summary = values.summary.strip()
    review.strengths = values.strengths.strip()
    review.advice = {
        code: values.advice[code].strip()
        for code in areas
        if (values.advice.get(code) or "").strip()
    }


def blockers(assignment: Assignment, catalogue: Catalogue) -> list[str]:
    """What holds up submitting apart from the review's own fields: criteria without a level,
    and this assessor's own request for more that the school has not answered yet."""
    problems = []
    missing = unscored(assignment, catalogue)
    if missing:
        problems.append(str(UnscoredError([item.code for item in missing])))
    if own_open_request(assignment) is not None:
        problems.append(
            _(
                "Ihre Nachforderung an die Schule ist noch offen. Bitte geben Sie Ihr Gutachten "
                "ab, wenn die Schule geantwortet hat."
            )
        )
    return problems


def _check_complete(assignment: Assignment, values: ReviewValues, catalogue: Catalogue) -> None:
    missing = unscored(assignment, catalogue)
    if missing:
        raise UnscoredError([item.code for item in missing])
    if values.recommendation is None:
        raise ReviewError(_("Bitte wählen Sie Ihre Empfehlung."))
    if not values.summary.strip():
        raise ReviewError(_("Bitte fassen Sie Ihr Gutachten zusammen."))
    problems = blockers(assignment, catalogue)
    if problems:
        raise ReviewError(problems[0])


def own_open_request(assignment: Assignment) -> EvidenceRequest | None:
    """The open request for more that this assessor made, which their submission waits for."""
    application = assignment.application
    open_request = application.open_request
    if application.status is not ApplicationStatus.MORE_REQUESTED or open_request is None:
        return None
    return open_request if open_request.created_by_id == assignment.assessor_id else None


def _record(action: str, review: Review, assignment: Assignment, actor: User, **details) -> None:
    application = assignment.application
    record(
        action,
        review,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        assessor=assignment.assessor.name,
        **details,
    )


def counted_assignments(application: Application) -> list[Assignment]:
    """The assignments whose reviews the consensus waits for: all but declared conflicts."""
    query = (
        sa.select(Assignment)
        .where(
            Assignment.application_id == application.id,
            Assignment.conflict_state != ConflictState.CONFLICT,
        )
        .options(joinedload(Assignment.review))  # one statement, not one per assessor
    )
    return list(db.session.scalars(query))


def reviews_in(application: Application) -> tuple[int, int]:
    """(submitted reviews, reviews expected) for the application."""
    assignments = counted_assignments(application)
    done = sum(1 for assignment in assignments if is_submitted(assignment))
    return done, len(assignments)


def all_reviews_in(application: Application) -> bool:
    """Whether the consensus can open: at least one assessor, every one of them cleared of
    conflicts and with a submitted review (an undeclared assessor still counts as missing)."""
    done, expected = reviews_in(application)
    return expected > 0 and done == expected
