"""The assessor's home page: each assignment with its state, progress and what needs them now.

The lists are read in a fixed number of queries whatever the number of assignments."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from seal_app.applications.models import (
    Application,
    EvidenceRequest,
)
from seal_app.auth.models import User
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
from seal_app.reviews.scoring import (
    ScoringProgress,
    catalogue_of,
    changed_since_scored,
    is_submitted,
    progress_of,
)
from seal_app.rounds.models import Round


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
