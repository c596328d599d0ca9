"""Mail about an on-site visit, to the school's staff and the visiting assessors, each with a
calendar entry: planned, changed (time or note: everyone, the entry's SEQUENCE one higher),
cancelled (everyone), and an assessor added or taken off (only that person, SEQUENCE one
higher as well).

Runs in the caller's transaction, after the visit is flushed; each save of a visit is one
event (its version is in the key) and a visit is cancelled once, so nothing is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.notifications.messages import staff_of
from seal_app.notifications.outbox import absolute_url, mail_enabled, write
from seal_app.notifications.visit_calendar import CANCEL, REQUEST, visit_entry, visit_token
from seal_app.reviews.models import Assignment, Visit


@dataclass(frozen=True)
class VisitBefore:
    """What the invited were last told about a visit, taken before a change."""

    starts_at: datetime
    note: str
    assignment_ids: frozenset[int]

    @classmethod
    def of(cls, visit: Visit) -> VisitBefore:
        return cls(
            visit.starts_at,
            visit.note,
            frozenset(item.assignment_id for item in visit.participants),
        )


@dataclass(frozen=True)
class Invited:
    user: User
    link: str
    assessor: bool


def visit_saved(visit: Visit, before: VisitBefore | None) -> None:
    """In ``plan_visit``, once the visit holds what the office typed (``before`` None: a new
    visit): count the change in the calendar entry, flush, and tell whom it concerns."""
    now = frozenset(item.assignment_id for item in visit.participants)
    added = now - before.assignment_ids if before else now
    removed = before.assignment_ids - now if before else frozenset()
    changed = before is not None and (visit.starts_at, visit.note) != (
        before.starts_at,
        before.note,
    )
    if before is not None and (changed or added or removed):
        visit.calendar_sequence += 1
    db.session.flush()
    saved = f"v{visit.version}"
    if before is None or changed:
        _tell(visit, "changed" if changed else "planned", _invited(visit), REQUEST, saved)
    else:
        current = {item.assignment_id: item.assignment for item in visit.participants}
        _tell(visit, "planned", [_assessor(current[key]) for key in sorted(added)], REQUEST, saved)
    taken_off = [db.session.get(Assignment, key) for key in sorted(removed)]
    _tell(visit, "withdrawn", [_assessor(item) for item in taken_off if item], CANCEL, saved)


def visit_cancelled(visit: Visit) -> None:
    """Before ``cancel_visit`` deletes the visit: everyone invited gets the cancellation."""
    visit.calendar_sequence += 1
    _tell(visit, "cancelled", _invited(visit), CANCEL, "cancelled")


def _invited(visit: Visit) -> list[Invited]:
    overview = absolute_url("applications.overview", application_id=visit.application_id)
    school = [Invited(user, overview, False) for user in staff_of(visit.application.school)]
    return school + [_assessor(item.assignment) for item in visit.participants]


def _assessor(assignment: Assignment) -> Invited:
    link = absolute_url("reviews.overview", assignment_id=assignment.id)
    return Invited(assignment.assessor, link, True)


def _tell(visit: Visit, kind: str, invited: list[Invited], method: str, key: str) -> None:
    if not mail_enabled():
        return
    for person in invited:
        if not person.user.is_enabled:
            continue
        description = "\n\n".join(part for part in (visit.note, person.link) if part)
        write(
            f"visit.{kind}",
            f"visit:{visit_token(visit)}:{key}:{person.user.id}",
            person.user.email,
            f"visit_{kind}",
            attachments=[visit_entry(visit, method, person.user, description)],
            user=person.user,
            visit=visit,
            school=visit.application.school,
            assessor=person.assessor,
            link=person.link,
        )
