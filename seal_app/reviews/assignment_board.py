"""The office's assignment board of a round and the proposal that balances the load.

The proposal gives each application the configured number of assessors who have not declared
a conflict. It picks, for each open place, the assessor with the fewest open assignments in the
round (ties by name), never one already assigned to the application and never one who declared
a conflict for any application of the same school, nor one who declared a conflict with the
school for the round (``round_conflicts``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import Role, User
from seal_app.catalogue import services as catalogue_services
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, RoundConflict, Score
from seal_app.rounds.models import Round
from seal_app.schools.models import School

# Applications the office can assign assessors to: submitted and not yet decided.
REVIEWABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.MORE_REQUESTED,
    ApplicationStatus.IN_REVIEW,
)


@dataclass
class Load:
    """An assessor's work in one round."""

    assessor: User
    assigned: int = 0  # without assignments they declared a conflict for
    done: int = 0  # reviews submitted
    conflicts: int = 0

    @property
    def open(self) -> int:
        return self.assigned - self.done


@dataclass(frozen=True)
class Board:
    """Everything the round's assignment page shows, loaded with a fixed number of queries."""

    round: Round
    applications: list[Application]
    assignments: dict[int, list[Assignment]]  # by application id, ordered by assessor name
    scored: dict[int, int]  # assignment id -> criteria with a level
    criteria_total: int
    loads: list[Load]  # every enabled assessor, by name
    conflicts: set[tuple[int, int]]  # (assessor id, school id) of every declared conflict

    def assignments_of(self, application: Application) -> list[Assignment]:
        return self.assignments.get(application.id, [])

    def cleared_count(self, application: Application) -> int:
        """Assessors who can review it: assigned and not conflicted."""
        return sum(
            1
            for assignment in self.assignments_of(application)
            if assignment.conflict_state is not ConflictState.CONFLICT
        )

    def conflicted_ids(self, application: Application) -> set[int]:
        """Assessors who declared a conflict for an application of the same school."""
        return {
            assessor_id
            for assessor_id, school_id in self.conflicts
            if school_id == application.school_id
        }

    def assessors_for(self, application: Application) -> list[Load]:
        """The enabled assessors not yet assigned to ``application``, for the assign form."""
        taken = {assignment.assessor_id for assignment in self.assignments_of(application)}
        return [load for load in self.loads if load.assessor.id not in taken]

    def available_for(self, application: Application) -> list[Load]:
        """Who can still be assigned: enabled, not yet assigned, no conflict at the school."""
        conflicted = self.conflicted_ids(application)
        return [
            load for load in self.assessors_for(application) if load.assessor.id not in conflicted
        ]

    def to_reassign(self, per_application: int) -> list[Assignment]:
        """Conflicts declared for applications that are still short of assessors."""
        return [
            assignment
            for application in self.applications
            if self.cleared_count(application) < per_application
            for assignment in self.assignments_of(application)
            if assignment.conflict_state is ConflictState.CONFLICT
        ]


@dataclass
class Proposal:
    """New assignments the office may take over, and applications that stay short."""

    pairs: list[tuple[Application, User]] = field(default_factory=list)
    short: list[Application] = field(default_factory=list)

    def keys(self) -> list[str]:
        """The pairs as „application-assessor“ ids, to check on applying that nothing changed."""
        return [f"{application.id}-{assessor.id}" for application, assessor in self.pairs]

    def chosen(self, keys: list[str]) -> Proposal:
        """Only the pairs the office kept ticked (keys as in ``keys()``)."""
        wanted = set(keys)
        pairs = [
            (application, assessor)
            for application, assessor in self.pairs
            if f"{application.id}-{assessor.id}" in wanted
        ]
        return Proposal(pairs=pairs, short=self.short)

    def by_application(self) -> list[tuple[Application, list[User]]]:
        grouped: dict[int, tuple[Application, list[User]]] = {}
        for application, assessor in self.pairs:
            grouped.setdefault(application.id, (application, []))[1].append(assessor)
        return list(grouped.values())


def enabled_assessors() -> list[User]:
    query = (
        sa.select(User)
        .where(User.role == Role.ASSESSOR, User.is_enabled.is_(True))
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def board(round_: Round) -> Board:
    """The round's reviewable applications with their assignments, progress and loads."""
    applications = reviewable_applications(round_.id)
    assignments = _round_assignments(round_.id)
    by_application: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_application[assignment.application_id].append(assignment)
    catalogue = catalogue_services.from_record(round_.catalogue)
    return Board(
        round=round_,
        applications=applications,
        assignments=dict(by_application),
        scored=_scored_counts(Application.round_id == round_.id),
        criteria_total=sum(1 for _criterion in catalogue.criteria),
        loads=_loads(enabled_assessors(), assignments),
        conflicts=conflicted_schools(round_.id),
    )


def reviewable_applications(round_id: int) -> list[Application]:
    """The round's applications that can get assessors, with their schools, by school name."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .join(Application.school)
            .where(Application.round_id == round_id, Application.status.in_(REVIEWABLE))
            .options(selectinload(Application.school))
            .order_by(School.name, School.town, Application.id)
        )
    )


def round_loads(round_: Round) -> list[Load]:
    """Every enabled assessor's load in the round, by name."""
    return _loads(enabled_assessors(), _round_assignments(round_.id))


def _round_assignments(round_id: int) -> list[Assignment]:
    query = (
        sa.select(Assignment)
        .join(Assignment.application)
        .join(Assignment.assessor)
        .where(Application.round_id == round_id)
        .options(selectinload(Assignment.assessor), selectinload(Assignment.review))
        .order_by(User.name, Assignment.id)
    )
    return list(db.session.scalars(query))


def _scored_counts(condition) -> dict[int, int]:
    """Criteria with a level, per assignment, for the assignments matching ``condition``."""
    query = (
        sa.select(Score.assignment_id, sa.func.count())
        .join(Assignment, Score.assignment_id == Assignment.id)
        .join(Application, Assignment.application_id == Application.id)
        .where(condition, Score.level.is_not(None))
        .group_by(Score.assignment_id)
    )
    return {assignment_id: count for assignment_id, count in db.session.execute(query)}


def _loads(assessors: list[User], assignments: Iterable[Assignment]) -> list[Load]:
    loads = {assessor.id: Load(assessor) for assessor in assessors}
    for assignment in assignments:
        load = loads.get(assignment.assessor_id)
        if load is None:  # a disabled account keeps its assignments, but takes no new ones
            continue
        if assignment.conflict_state is ConflictState.CONFLICT:
            load.conflicts += 1
            continue
        load.assigned += 1
        if assignment.review is not None and assignment.review.is_submitted:
            load.done += 1
    return list(loads.values())


def application_assignments(application: Application) -> tuple[list[Assignment], dict[int, int]]:
    """One application's assignments (by assessor name) and the levels each has given."""
    query = (
        sa.select(Assignment)
        .join(Assignment.assessor)
        .where(Assignment.application_id == application.id)
        .options(selectinload(Assignment.assessor), selectinload(Assignment.review))
        .order_by(User.name, Assignment.id)
    )
    assignments = list(db.session.scalars(query))
    return assignments, _scored_counts(Application.id == application.id)


def conflicted_schools(round_id: int | None = None) -> set[tuple[int, int]]:
    """(assessor id, school id) for every conflict declared on an assignment, in any round, and
    for every conflict declared for the round ``round_id`` before assignment."""
    query = (
        sa.select(Assignment.assessor_id, Application.school_id)
        .join(Application, Assignment.application_id == Application.id)
        .where(Assignment.conflict_state == ConflictState.CONFLICT)
    )
    if round_id is not None:
        declared = sa.select(RoundConflict.assessor_id, RoundConflict.school_id).where(
            RoundConflict.round_id == round_id
        )
        query = query.union(declared)
    return {(assessor_id, school_id) for assessor_id, school_id in db.session.execute(query)}


def propose(current: Board, per_application: int) -> Proposal:
    """Fill each application up to ``per_application`` cleared assessors, balancing the load."""
    open_load = {load.assessor.id: load.open for load in current.loads}
    proposal = Proposal()
    for application in current.applications:
        taken = {assignment.assessor_id for assignment in current.assignments_of(application)}
        for _place in range(per_application - current.cleared_count(application)):
            candidates = [
                load.assessor
                for load in current.loads
                if load.assessor.id not in taken
                and (load.assessor.id, application.school_id) not in current.conflicts
            ]
            if not candidates:
                proposal.short.append(application)
                break
            # ``loads`` is ordered by name, and min() keeps the first of equals: stable.
            chosen = min(candidates, key=lambda assessor: open_load[assessor.id])
            proposal.pairs.append((application, chosen))
            taken.add(chosen.id)
            open_load[chosen.id] += 1
    return proposal
