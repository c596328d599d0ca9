"""An assessor's own work on an assignment: the declaration, scores, progress, what needs them.

The rules (when a comment is required, how progress counts) are pure functions; the state
changes (``declare``, ``save_score``) flush and write their audit entry, callers commit.
Nothing here reads another assessor's scores: each function works on one assignment, or on
the assignments of one assessor.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from seal_app.applications.models import (
    Application,
    EvidenceFile,
    EvidenceRequest,
)
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.model import AwardRule, Catalogue, Criterion
from seal_app.database import ConflictError, claim_version
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.formatting import codes as codes_text
from seal_app.formatting import moment
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    Review,
    Score,
    Visit,
    VisitParticipant,
)
from seal_app.rounds.models import Round

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


def declare(assignment: Assignment, conflict: bool, reason: str, actor: User) -> None:
    """Record the assessor's declaration: once, never changed by them afterwards.

    One conditional UPDATE, so that two declarations sent at the same moment cannot both
    count: the second finds the assignment declared and is refused.
    """
    reason = reason.strip() if conflict else ""
    if conflict and not reason:
        raise ScoringError(_("Bitte nennen Sie den Grund Ihrer Befangenheit."))
    state = ConflictState.CONFLICT if conflict else ConflictState.NONE
    declared_at = utcnow()
    result = db.session.execute(
        sa.update(Assignment)
        .where(
            Assignment.id == assignment.id,
            Assignment.conflict_state == ConflictState.PENDING,
        )
        .values(conflict_state=state, conflict_reason=reason, declared_at=declared_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ScoringError(
            _(
                "Sie haben Ihre Erklärung zu diesem Antrag schon abgegeben. Ändern kann sie "
                "nur die Geschäftsstelle."
            )
        )
    db.session.refresh(assignment)
    record(
        "assignment.declared",
        assignment,
        actor,
        application_id=assignment.application_id,
        state=state.value,
        reason=reason,
    )


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


# --- the assessor's home page ----------------------------------------------------------------


class AssignmentState(enum.StrEnum):
    DECLARATION_OPEN = "declaration_open"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CONFLICT = "conflict"


@dataclass
class AssignmentItem:
    """One line of the assessor's home page."""

    assignment: Assignment
    state: AssignmentState
    progress: ScoringProgress | None  # None until the assessor may see the application
    changed: list[str] = field(default_factory=list)  # supplemented since scored, in order
    visit_at: datetime | None = None
    own_request_open: bool = False  # a request for more this assessor made, not yet answered
    meeting_open: bool = False  # all reviews are in: the jury meeting can be read
    needs: list[str] = field(default_factory=list)  # what needs the assessor now, in German

    @property
    def application(self) -> Application:
        return self.assignment.application


def assignments_of(assessor: User) -> list[Assignment]:
    """The assessor's assignments with application, school, round and catalogue, oldest first."""
    query = (
        sa.select(Assignment)
        .where(Assignment.assessor_id == assessor.id)
        .options(
            joinedload(Assignment.application).joinedload(Application.school),
            joinedload(Assignment.application)
            .joinedload(Application.round)
            .joinedload(Round.catalogue),
            selectinload(Assignment.review),
        )
        .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.created_at)
    )
    return list(db.session.scalars(query).unique())


def home_items(assessor: User) -> list[AssignmentItem]:
    """The assessor's assignments with state, progress and what needs them: a fixed number of
    queries however many assignments there are."""
    assignments = assignments_of(assessor)
    cleared = [item for item in assignments if item.conflict_state is ConflictState.NONE]
    levels = _levels_by_assignment([item.id for item in cleared])
    answered = _answered_by_application([item.application_id for item in cleared])
    requesters = _open_requesters_by_application([item.application_id for item in cleared])
    visits = _visits_by_assignment([item.id for item in cleared])
    meetings = _meetings_open([item.application_id for item in cleared if is_submitted(item)])
    items = []
    for assignment in assignments:
        scores = levels.get(assignment.id, {})
        item = _item(
            assignment,
            scores,
            answered.get(assignment.application_id, []),
            visits.get(assignment.id),
            assignment.assessor_id in requesters.get(assignment.application_id, set()),
        )
        item.meeting_open = item.state is AssignmentState.SUBMITTED and (
            assignment.application_id in meetings
        )
        items.append(item)
    return items


def _item(
    assignment: Assignment,
    scores: dict[str, tuple[int | None, datetime]],
    answered: list[tuple[datetime, list[str]]],
    visit_at: datetime | None,
    own_request_open: bool,
) -> AssignmentItem:
    state = _state_of(assignment)
    if state in (AssignmentState.DECLARATION_OPEN, AssignmentState.CONFLICT):
        open_ = state is AssignmentState.DECLARATION_OPEN
        needs = [_("Erklärung zur Befangenheit abgeben")] if open_ else []
        return AssignmentItem(assignment, state, None, needs=needs)
    catalogue = catalogue_of(assignment)
    progress = progress_of(catalogue, {code: level for code, (level, _at) in scores.items()})
    scored_at = {code: at for code, (level, at) in scores.items() if level is not None}
    changed = changed_since_scored(answered, scored_at)
    in_order = [item.code for item in catalogue.criteria if item.code in changed]
    item = AssignmentItem(assignment, state, progress, in_order, visit_at, own_request_open)
    item.needs = _needs(item)
    return item


def _state_of(assignment: Assignment) -> AssignmentState:
    if assignment.conflict_state is ConflictState.PENDING:
        return AssignmentState.DECLARATION_OPEN
    if assignment.conflict_state is ConflictState.CONFLICT:
        return AssignmentState.CONFLICT
    if is_submitted(assignment):
        return AssignmentState.SUBMITTED
    return AssignmentState.IN_PROGRESS


def _needs(item: AssignmentItem) -> list[str]:
    """What the assessor can act on now; a submitted review waits for nothing of theirs (a
    request for more or the school's additions change nothing in it)."""
    needs = []
    if item.state is AssignmentState.IN_PROGRESS and item.progress.open:
        needs.append(
            _("%(count)d Kriterien noch bewerten", count=item.progress.open)
            if item.progress.open != 1
            else _("1 Kriterium noch bewerten")
        )
    open_ = item.state is AssignmentState.IN_PROGRESS
    if open_ and item.own_request_open:
        needs.append(_("Ihre Nachforderung ist offen: die Schule ergänzt noch"))
    if open_ and item.changed:
        needs.append(
            _("Von der Schule ergänzt, bitte prüfen: %(codes)s", codes=codes_text(item.changed))
        )
    if item.visit_at is not None and item.visit_at >= utcnow():
        needs.append(_("Besuch vor Ort am %(when)s", when=moment(item.visit_at)))
    elif item.visit_at is not None and open_:  # the protocol is part of the review
        needs.append(
            _("Besuch vor Ort am %(when)s: Protokoll schreiben", when=moment(item.visit_at))
        )
    if item.state is AssignmentState.IN_PROGRESS and item.progress.complete:
        needs.append(_("Alle Kriterien bewertet: Gutachten abgeben"))
    return needs


def _levels_by_assignment(
    assignment_ids: list[int],
) -> dict[int, dict[str, tuple[int | None, datetime]]]:
    """Per assignment: criterion code → (level, saved at). One query for all of them."""
    found: dict[int, dict[str, tuple[int | None, datetime]]] = {}
    if not assignment_ids:
        return found
    rows = db.session.execute(
        sa.select(Score.assignment_id, Score.criterion_code, Score.level, Score.updated_at).where(
            Score.assignment_id.in_(assignment_ids)
        )
    )
    for assignment_id, code, level, updated_at in rows:
        found.setdefault(assignment_id, {})[code] = (level, updated_at)
    return found


def _answered_by_application(
    application_ids: list[int],
) -> dict[int, list[tuple[datetime, list[str]]]]:
    found: dict[int, list[tuple[datetime, list[str]]]] = {}
    if not application_ids:
        return found
    rows = db.session.execute(
        sa.select(
            EvidenceRequest.application_id,
            EvidenceRequest.answered_at,
            EvidenceRequest.criteria_codes,
        ).where(
            EvidenceRequest.application_id.in_(application_ids),
            EvidenceRequest.answered_at.is_not(None),
        )
    )
    for application_id, answered_at, codes in rows:
        found.setdefault(application_id, []).append((answered_at, list(codes)))
    return found


def _open_requesters_by_application(application_ids: list[int]) -> dict[int, set[int]]:
    """Who made each application's unanswered request for more. One query for all."""
    found: dict[int, set[int]] = {}
    if not application_ids:
        return found
    rows = db.session.execute(
        sa.select(EvidenceRequest.application_id, EvidenceRequest.created_by_id).where(
            EvidenceRequest.application_id.in_(application_ids),
            EvidenceRequest.answered_at.is_(None),
        )
    )
    for application_id, created_by_id in rows:
        found.setdefault(application_id, set()).add(created_by_id)
    return found


def _meetings_open(application_ids: list[int]) -> set[int]:
    """The applications whose reviews are all in (as ``submission.all_reviews_in``): every
    assessor without a declared conflict has submitted, and there is at least one."""
    if not application_ids:
        return set()
    counts = sa.case((Assignment.conflict_state != ConflictState.CONFLICT, 1), else_=0)
    missing = sa.case(
        (
            sa.and_(
                Assignment.conflict_state != ConflictState.CONFLICT,
                Review.submitted_at.is_(None),
            ),
            1,
        ),
        else_=0,
    )
    query = (
        sa.select(Assignment.application_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.application_id.in_(application_ids))
        .group_by(Assignment.application_id)
        .having(sa.func.sum(counts) > 0, sa.func.sum(missing) == 0)
    )
    return set(db.session.scalars(query))


def _visits_by_assignment(assignment_ids: list[int]) -> dict[int, datetime]:
    """When each assignment's assessor visits the school (only visits they take part in)."""
    if not assignment_ids:
        return {}
    rows = db.session.execute(
        sa.select(VisitParticipant.assignment_id, Visit.starts_at)
        .join(Visit, Visit.id == VisitParticipant.visit_id)
        .where(VisitParticipant.assignment_id.in_(assignment_ids))
    )
    return dict(rows.tuples().all())


def own_assignment(assignment_id: int, assessor: User) -> Assignment | None:
    """The assignment if it is ``assessor``'s own (any state), else None."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.assessor_id != assessor.id:
        return None
    return assignment
