"""An assessor's own work on an assignment: the declaration, scores, progress, what needs them.

The rules (when a comment is required, how progress counts) are pure functions; the state
changes (``declare``, ``save_score``) flush and write their audit entry, callers commit.
Nothing here reads another assessor's scores: each function works on one assignment, or on
the assignments of one assessor.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from seal_app.applications.access import WITH_SCHOOL_AND_ROUND
from seal_app.applications.models import (
    Application,
    EvidenceFile,
)
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.model import AwardRule, Catalogue, Criterion
from seal_app.database import ConflictError, claim_version
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    Review,
    Score,
)

COMMENT_LIMIT = 5000
REASON_LIMIT = 2000


class ScoringError(Exception):
    """A rule of the assessor's work was broken; the message is for the user."""


# --- rules (pure) ---------------------------------------------------------------------------


class CommentReason(enum.StrEnum):
    """Why a level needs a comment."""

    DIVERGES = "diverges"  # two or more levels away from the school's self-rating
    BELOW_MINIMUM = "below_minimum"  # a mandatory criterion below the award rule's minimum


def comment_reasons(
    level: int | None, self_rating: int | None, mandatory: bool, minimum: int
) -> tuple[CommentReason, ...]:
    """Why ``level`` needs a comment (empty: it needs none).

    ``minimum`` is the award rule's least level for mandatory criteria. Without a level
    nothing is required; without a self-rating there is nothing to diverge from.
    """
    if level is None:
        return ()
    reasons = []
    if self_rating is not None and abs(level - self_rating) >= 2:
        reasons.append(CommentReason.DIVERGES)
    if mandatory and level < minimum:
        reasons.append(CommentReason.BELOW_MINIMUM)
    return tuple(reasons)


def comment_reasons_for(
    criterion: Criterion, rule: AwardRule, level: int | None, self_rating: int | None
) -> tuple[CommentReason, ...]:
    return comment_reasons(level, self_rating, criterion.mandatory, rule.mandatory_min_level)


def comment_required_message(
    reasons: Iterable[CommentReason], level: int, self_rating: int | None, minimum: int
) -> str:
    """The German message naming why a comment is needed."""
    parts = []
    for reason in reasons:
        if reason is CommentReason.DIVERGES:
            parts.append(
                _(
                    "Ihre Stufe %(level)d weicht um %(difference)d Stufen von der "
                    "Selbsteinschätzung der Schule (Stufe %(self_rating)d) ab.",
                    level=level,
                    difference=abs(level - (self_rating or 0)),
                    self_rating=self_rating or 0,
                )
            )
        else:
            parts.append(
                _(
                    "Dies ist ein Pflichtkriterium, und Stufe %(level)d liegt unter der "
                    "Mindeststufe %(minimum)d für das Siegel.",
                    level=level,
                    minimum=minimum,
                )
            )
    return " ".join([_("Bitte begründen Sie Ihre Bewertung in einem Kommentar."), *parts])


@dataclass(frozen=True)
class ScoringProgress:
    """How many criteria of the catalogue the assessor has given a level."""

    scored: int
    total: int

    @property
    def percent(self) -> int:
        return self.scored * 100 // self.total if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.scored == self.total

    @property
    def open(self) -> int:
        return self.total - self.scored


def progress_of(catalogue: Catalogue, levels: Mapping[str, int | None]) -> ScoringProgress:
    """Progress from levels per criterion code: only codes of the catalogue with a level count."""
    codes = [criterion.code for criterion in catalogue.criteria]
    return ScoringProgress(
        scored=sum(1 for code in codes if levels.get(code) is not None), total=len(codes)
    )


def next_code(catalogue: Catalogue, code: str) -> str | None:
    """The criterion after ``code`` in catalogue order (None after the last)."""
    codes = [criterion.code for criterion in catalogue.criteria]
    index = codes.index(code)
    return codes[index + 1] if index + 1 < len(codes) else None


def position_of(catalogue: Catalogue, code: str) -> int:
    """1 for the first criterion in catalogue order."""
    return [criterion.code for criterion in catalogue.criteria].index(code) + 1


def changed_since_scored(
    answered: Iterable[tuple[datetime, Iterable[str]]],
    scored_at: Mapping[str, datetime],
) -> set[str]:
    """Criteria the school supplemented after the assessor last saved their score.

    ``answered``: (answered at, criterion codes) of each answered request for more;
    ``scored_at``: when the assessor saved each criterion. A criterion never scored counts as
    changed too: whatever the school added is new to the assessor.
    """
    changed = set()
    for answered_at, codes in answered:
        for code in codes:
            saved = scored_at.get(code)
            if saved is None or saved < answered_at:
                changed.add(code)
    return changed


# --- reading an assignment -------------------------------------------------------------------


def catalogue_of(assignment: Assignment) -> Catalogue:
    return catalogue_services.from_record(assignment.application.round.catalogue)


def is_submitted(assignment: Assignment) -> bool:
    """Whether the assessor's review is in (then their scores are read-only)."""
    review = assignment.review
    return review is not None and review.is_submitted


def levels_of(assignment: Assignment) -> dict[str, int | None]:
    return {score.criterion_code: score.level for score in assignment.scores}


def progress_of_assignment(assignment: Assignment) -> ScoringProgress:
    """„12 von 23 bewertet“ for one assignment (its own scores only)."""
    return progress_of(catalogue_of(assignment), levels_of(assignment))


def answered_requests(application: Application) -> list[tuple[datetime, list[str]]]:
    return [
        (item.answered_at, list(item.criteria_codes))
        for item in application.evidence_requests
        if item.answered_at is not None
    ]


def changed_criteria(assignment: Assignment) -> set[str]:
    """Criteria of this assignment supplemented by the school after the assessor scored them."""
    scored_at = {score.criterion_code: score.updated_at for score in assignment.scores}
    return changed_since_scored(answered_requests(assignment.application), scored_at)


def criterion_files(application_id: int, code: str) -> list[EvidenceFile]:
    """The school's evidence for one criterion, in upload order: one statement that reads only
    these rows, not every file of the application."""
    query = (
        sa.select(EvidenceFile)
        .where(
            EvidenceFile.application_id == application_id,
            EvidenceFile.criterion_code == code,
            sa.not_(EvidenceFile.staged),
        )
        .order_by(EvidenceFile.id)
    )
    return list(db.session.scalars(query))


# --- state changes ---------------------------------------------------------------------------


def require_scoring(assignment: Assignment) -> None:
    """Scores may change only on a cleared assignment whose review is not submitted."""
    if assignment.conflict_state is not ConflictState.NONE:
        raise ScoringError(_("Zu diesem Antrag können Sie keine Bewertung abgeben."))
    if is_submitted(assignment):
        raise ScoringError(
            _(
                "Ihr Gutachten ist eingereicht. Die Bewertungen können Sie nicht mehr ändern; "
                "wenden Sie sich dafür an die Geschäftsstelle."
            )
        )


@dataclass(frozen=True)
class ScoreInput:
    level: int
    comment: str


def check_score(
    catalogue: Catalogue, criterion: Criterion, values: ScoreInput, self_rating: int | None
) -> str | None:
    """The German reason ``values`` cannot be saved, or None."""
    if values.level not in {level.value for level in catalogue.scale}:
        return _("Bitte wählen Sie eine der Stufen der Skala.")
    if len(values.comment) > COMMENT_LIMIT:
        return _("Der Kommentar ist zu lang.")
    reasons = comment_reasons_for(criterion, catalogue.award_rule, values.level, self_rating)
    if reasons and not values.comment.strip():
        minimum = catalogue.award_rule.mandatory_min_level
        return comment_required_message(reasons, values.level, self_rating, minimum)
    return None


def save_score(
    assignment: Assignment,
    code: str,
    values: ScoreInput,
    expected_version: int | None,
    actor: User,
) -> Score:
    """Save the assessor's level and comment for one criterion, refusing a stale form."""
    require_scoring(assignment)
    catalogue = catalogue_of(assignment)
    criterion = catalogue.criterion(code)
    if criterion is None:
        raise ScoringError(_("Dieses Kriterium gibt es im Katalog des Antrags nicht."))
    answer = assignment.application.answer_for(code)
    problem = check_score(
        catalogue, criterion, values, answer.self_rating if answer is not None else None
    )
    if problem:
        raise ScoringError(problem)
    existing = assignment.score_for(code)
    old = (existing.level, existing.comment) if existing is not None else (None, "")
    score = _versioned(existing, expected_version, assignment, code)
    _hold_review(assignment)
    score.level, score.comment = values.level, values.comment.strip()
    score.updated_at = utcnow()
    db.session.flush()
    record(
        "score.saved",
        score,
        actor,
        application_id=assignment.application_id,
        school_id=assignment.application.school_id,
        criterion=code,
        changes=_changes(old, (score.level, score.comment)),
    )
    return score


def _hold_review(assignment: Assignment) -> None:
    """Move the review's version with every score, so that a score saved at the very moment the
    review is submitted is refused (one of the two fails the version check), and submitted
    scores stay as they were. The first score opens the review's draft."""
    if assignment.review is None:
        assignment.review = Review()  # a second one at the same moment breaks the unique
    else:
        claim_version(assignment.review, assignment.review.version)


def _versioned(
    existing: Score | None, expected_version: int | None, assignment: Assignment, code: str
) -> Score:
    """A new score if the form showed none and there is none; the existing one if the form
    showed its current version; otherwise ``ConflictError``."""
    if existing is None and expected_version is None:
        score = Score(criterion_code=code)  # a second one at the same moment breaks the unique
        assignment.scores.append(score)
        return score
    if existing is None:
        raise ConflictError
    claim_version(existing, expected_version)
    return existing


def _changes(old: tuple[int | None, str], new: tuple[int | None, str]) -> dict:
    """Old and new level and comment, each only if it changed."""
    changes = {}
    for name, before, after in zip(("level", "comment"), old, new, strict=True):
        if before != after:
            changes[name] = {"old": before, "new": after}
    return changes


def own_assignment(assignment_id: int, assessor: User) -> Assignment | None:
    """The assignment if it is ``assessor``'s own (any state), else None."""
    with_application = joinedload(Assignment.application).options(*WITH_SCHOOL_AND_ROUND)
    options = [with_application, joinedload(Assignment.review)]
    assignment = db.session.get(Assignment, assignment_id, options=options)
    if assignment is None or assignment.assessor_id != assessor.id:
        return None
    return assignment
