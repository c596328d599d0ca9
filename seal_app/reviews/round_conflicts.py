"""Conflicts of interest an assessor declares for a round before any assignment: which schools
of the round they cannot review, each with a reason.

The office's proposal and its manual assignments leave these pairs out
(``assignment_board.conflicted_schools``). A declaration can be withdrawn by its assessor as
long as nobody else has been assigned to the school's application: from then on the office has
planned around it, and it stays as the record the assignments rest on. A declaration made when
the assessor is already assigned to the school counts for that assignment at once
(``late_conflicts``): access ends, a submitted review stops counting, the office is told; it
cannot be withdrawn here afterwards, only the office changes an assignment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.database import ConflictError
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews import late_conflicts
from seal_app.reviews.assignment_board import REVIEWABLE, reviewable_applications
from seal_app.reviews.models import Assignment, ConflictState, RoundConflict
from seal_app.rounds.models import Round
from seal_app.schools.models import School

REASON_LIMIT = 500  # characters: a short reason, the office reads them in a list


class NotInRound(Exception):
    """A school that has no application under review in the round (the page never shows it)."""


@dataclass(frozen=True)
class Entry:
    """What the assessor sent for one school of the page."""

    school_id: int
    ticked: bool
    reason: str


@dataclass(frozen=True)
class RoundSchool:
    """One school of the round as the assessor's declaration page shows it."""

    application: Application
    declaration: RoundConflict | None
    own: Assignment | None  # the assessor's own assignment to it, if any
    others_assigned: bool  # someone else is assigned: a declaration can no longer be withdrawn

    @property
    def school(self) -> School:
        return self.application.school

    @property
    def version(self) -> int:
        """The declaration's version as the page showed it; 0 without one."""
        return self.declaration.version if self.declaration is not None else 0


def matches(school: School, query: str) -> bool:
    """Whether the search text is part of the school's name, town or number (any case)."""
    words = query.casefold().split()
    text = f"{school.name} {school.town} {school.school_number}".casefold()
    return all(word in text for word in words)


def round_schools(round_: Round, assessor: User) -> list[RoundSchool]:
    """The schools with an application under review in the round, by name, with the assessor's
    declaration and assignment."""
    applications = reviewable_applications(round_.id)
    declarations = {item.school_id: item for item in _declarations(round_.id, assessor.id)}
    assigned: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in db.session.scalars(
        sa.select(Assignment).where(
            Assignment.application_id.in_([item.id for item in applications])
        )
    ):
        assigned[assignment.application_id].append(assignment)
    return [
        RoundSchool(
            application=application,
            declaration=declarations.get(application.school_id),
            own=next(
                (item for item in assigned[application.id] if item.assessor_id == assessor.id),
                None,
            ),
            others_assigned=any(
                item.assessor_id != assessor.id for item in assigned[application.id]
            ),
        )
        for application in applications
    ]


def _declarations(round_id: int, assessor_id: int | None = None) -> list[RoundConflict]:
    query = sa.select(RoundConflict).where(RoundConflict.round_id == round_id)
    if assessor_id is not None:
        query = query.where(RoundConflict.assessor_id == assessor_id)
    return list(db.session.scalars(query))


def problems(
    schools: Sequence[RoundSchool], entries: Sequence[Entry]
) -> dict[int, tuple[str, str]]:
    """school id → (field, German message) for every entry that cannot be saved."""
    by_school = {item.school.id: item for item in schools}
    found = {}
    for entry in entries:
        school = by_school.get(entry.school_id)
        if school is None:
            raise NotInRound
        if entry.ticked and not entry.reason.strip():
            found[entry.school_id] = ("reason", _("Bitte nennen Sie den Grund Ihrer Befangenheit."))
        elif not entry.ticked and school.declaration is not None and _conflicted(school.own):
            found[entry.school_id] = (
                "conflict",
                _(
                    "Diese Erklärung bleibt bestehen: Ihre Zuweisung zu dieser Schule ist damit "
                    "als befangen erfasst. Ändern kann das nur die Geschäftsstelle."
                ),
            )
        elif not entry.ticked and school.declaration is not None and school.others_assigned:
            found[entry.school_id] = (
                "conflict",
                _(
                    "Diese Erklärung bleibt bestehen: Die Geschäftsstelle hat die Schule schon "
                    "anderen Gutachtenden zugewiesen."
                ),
            )
    return found


def _conflicted(assignment: Assignment | None) -> bool:
    return assignment is not None and assignment.conflict_state is ConflictState.CONFLICT


def save(
    round_: Round,
    assessor: User,
    entries: Sequence[Entry],
    shown: Mapping[int, int],
) -> int:
    """Store the page's declarations; how many changed. ``shown`` are the versions the page
    showed per school (0: none): if one differs now (saved in another window meanwhile),
    nothing is stored (``ConflictError``). Entries with problems are refused by the caller
    first (``problems``); here they raise ``ValueError``."""
    schools = round_schools(round_, assessor)
    if problems(schools, entries):
        raise ValueError("entries with problems")
    by_school = {item.school.id: item for item in schools}
    if any(by_school[entry.school_id].version != shown.get(entry.school_id) for entry in entries):
        raise ConflictError
    changed = 0
    for entry in entries:
        school = by_school[entry.school_id]
        if _apply(round_, assessor, school, entry):
            changed += 1
    db.session.flush()
    return changed


def _apply(round_: Round, assessor: User, school: RoundSchool, entry: Entry) -> bool:
    existing, reason = school.declaration, entry.reason.strip()
    details = {
        "round_id": round_.id,
        "school_id": school.school.id,
        "school": school.school.name,
        "assessor": assessor.name,
    }
    if school.own is not None and school.own.conflict_state is not ConflictState.CONFLICT:
        details["assigned"] = True  # declared after the assignment: the office is told
    if entry.ticked and existing is None:
        declaration = RoundConflict(
            round_id=round_.id, assessor_id=assessor.id, school_id=school.school.id, reason=reason
        )
        db.session.add(declaration)  # a second one at the same moment breaks the constraint
        db.session.flush()
        record("round_conflict.declared", declaration, assessor, reason=reason, **details)
        if school.own is not None and not _conflicted(school.own):
            late_conflicts.mark_conflicted(school.own, reason, assessor)
        return True
    if entry.ticked and existing.reason != reason:
        old = existing.reason
        existing.reason, existing.declared_at = reason, utcnow()
        db.session.flush()
        record(
            "round_conflict.changed",
            existing,
            assessor,
            changes={"reason": {"old": old, "new": reason}},
            **details,
        )
        if school.own is not None and not _conflicted(school.own):
            late_conflicts.mark_conflicted(school.own, reason, assessor)
        return True
    if not entry.ticked and existing is not None:
        record("round_conflict.withdrawn", existing, assessor, reason=existing.reason, **details)
        db.session.delete(existing)
        return True
    return False


@dataclass(frozen=True)
class BoardLine:
    """One declaration as the office's board lists it."""

    school: School
    reason: str
    after_assignment: bool  # the assessor is assigned to the school and not yet out of it


def board_declarations(round_: Round) -> list[tuple[User, list[BoardLine]]]:
    """Per assessor (by name) the schools they declared for the round, by school name."""
    declarations = db.session.scalars(
        sa.select(RoundConflict)
        .where(RoundConflict.round_id == round_.id)
        .options(selectinload(RoundConflict.assessor))
    ).all()
    if not declarations:
        return []
    schools = {
        item.id: item
        for item in db.session.scalars(
            sa.select(School).where(School.id.in_({item.school_id for item in declarations}))
        )
    }
    assigned = set(
        db.session.execute(
            sa.select(Assignment.assessor_id, Application.school_id)
            .join(Application, Assignment.application_id == Application.id)
            .where(
                Application.round_id == round_.id,
                Assignment.conflict_state != ConflictState.CONFLICT,
            )
        ).tuples()
    )
    grouped: dict[int, tuple[User, list[BoardLine]]] = {}
    for item in declarations:
        line = BoardLine(
            schools[item.school_id],
            item.reason,
            (item.assessor_id, item.school_id) in assigned,
        )
        grouped.setdefault(item.assessor_id, (item.assessor, []))[1].append(line)
    result = sorted(grouped.values(), key=lambda pair: (pair[0].name, pair[0].id))
    return [(user, sorted(lines, key=lambda line: line.school.name)) for user, lines in result]


def rounds_to_declare(per_application: int) -> list[Round]:
    """Rounds with an application under review that still lacks assessors: the assessors'
    home links to the declaration for them."""
    cleared = (
        sa.select(sa.func.count(Assignment.id))
        .where(
            Assignment.application_id == Application.id,
            Assignment.conflict_state != ConflictState.CONFLICT,
        )
        .correlate(Application)
        .scalar_subquery()
    )
    round_ids = sa.select(Application.round_id).where(
        Application.status.in_(REVIEWABLE), cleared < per_application
    )
    return list(
        db.session.scalars(sa.select(Round).where(Round.id.in_(round_ids)).order_by(Round.year))
    )
