"""The on-site visit (Audit vor Ort): planned by the office with date, time, a note for the
school and the visiting assessors, or recorded afterwards once it took place (then nobody is
invited); each visiting assessor records a protocol per catalogue area.

Callers wrap the state changes in ``transaction()``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue.model import Area, Catalogue
from seal_app.database import ConflictError, claim_version
from seal_app.extensions import db
from seal_app.local_time import local_zone
from seal_app.notifications import visit_messages
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    Visit,
    VisitParticipant,
    VisitProtocol,
)
from seal_app.reviews.visit_record_models import VisitPhoto, VisitProtocolAddition

PROTOCOL_FIELDS = ("observed", "talked_to", "findings")
# A visit may have taken place shortly before the application arrived (the school was visited
# while it prepared it), and is planned at most a year ahead.
EARLIEST_BEFORE_SUBMISSION = timedelta(days=14)
LATEST_AHEAD = timedelta(days=365)


class VisitError(Exception):
    """A rule of the visit was broken; the message is for the user, ``field`` names the form
    field it belongs to (if any)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class VisitPlan:
    """What the office typed: local date and time, the note, the chosen assignments."""

    on: date
    at: time
    note: str
    assignment_ids: frozenset[int]


def starts_at(plan: VisitPlan) -> datetime:
    """The moment of the visit, from the local date and time the office typed."""
    return datetime.combine(plan.on, plan.at, tzinfo=local_zone())


def visit_day(visit: Visit) -> date:
    """The local calendar day of the visit."""
    return visit.starts_at.astimezone(local_zone()).date()


def took_place(visit: Visit, now: datetime) -> bool:
    """Whether the visit's moment has passed: recorded afterwards, or its day has come."""
    return visit.starts_at <= now


def allowed_days(application: Application, today: date) -> tuple[date, date]:
    """The first and last day a visit of ``application`` may be on."""
    arrived = application.submitted_at or application.created_at
    first = arrived.astimezone(local_zone()).date() - EARLIEST_BEFORE_SUBMISSION
    return min(first, today), today + LATEST_AHEAD


def check_day(application: Application, day: date, today: date) -> None:
    """Refuse an implausible day (1900, 2100, long before the application), naming the range."""
    first, last = allowed_days(application, today)
    if not first <= day <= last:
        raise VisitError(
            _(
                "Bitte geben Sie ein Datum zwischen dem %(first)s und dem %(last)s an: "
                "frühestens zwei Wochen vor dem Eingang des Antrags, höchstens ein Jahr im "
                "Voraus.",
                first=format_date(first, "medium"),
                last=format_date(last, "medium"),
            ),
            "on",
        )


def protocols_open(visit: Visit, today: date) -> bool:
    """A protocol records what was seen: it is written from the day of the visit on."""
    return today >= visit_day(visit)


def too_early_message(visit: Visit) -> str:
    return _(
        "Das Protokoll schreiben Sie ab dem Tag des Besuchs, dem %(date)s.",
        date=format_date(visit_day(visit), "long"),
    )


def visit_of(application_id: int) -> Visit | None:
    return db.session.scalar(
        sa.select(Visit)
        .where(Visit.application_id == application_id)
        .options(
            selectinload(Visit.participants)
            .selectinload(VisitParticipant.assignment)
            .selectinload(Assignment.assessor)
        )
    )


def cleared_assignments(application_id: int) -> list[Assignment]:
    """The application's assessors who declared no conflict: the ones who may visit."""
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .where(
                Assignment.application_id == application_id,
                Assignment.conflict_state == ConflictState.NONE,
            )
            .options(selectinload(Assignment.assessor))
            .order_by(Assignment.created_at, Assignment.id)
        )
    )


def participant_ids(visit: Visit | None) -> set[int]:
    return {item.assignment_id for item in visit.participants} if visit else set()


def plan_visit(
    application: Application,
    plan: VisitPlan,
    expected_version: int | None,
    actor: User,
    now: datetime,
) -> Visit:
    """Plan the visit, change the planned one (the form's version must still be current), or
    record one that took place: a moment already past invites nobody, by mail or calendar."""
    visit = visit_of(application.id)
    moment = starts_at(plan)
    if visit is None or moment != visit.starts_at:
        check_day(application, plan.on, now.astimezone(local_zone()).date())
    cleared = {item.id: item for item in cleared_assignments(application.id)}
    if not plan.assignment_ids:
        raise VisitError(
            _("Bitte wählen Sie mindestens eine Gutachterin oder einen Gutachter."), "visitors"
        )
    if not plan.assignment_ids <= cleared.keys():
        raise VisitError(
            _("Bitte wählen Sie nur Gutachtende dieses Antrags ohne Befangenheit."), "visitors"
        )
    if visit is None:
        if expected_version is not None:
            raise ConflictError  # the visit the form showed was cancelled meanwhile
        visit = Visit(application_id=application.id, planned_by_id=actor.id, starts_at=moment)
        db.session.add(visit)  # a second one at the same moment breaks the unique constraint
        action, old = ("visit.planned" if moment > now else "visit.recorded"), None
    else:
        claim_version(visit, expected_version)
        action, old = "visit.changed", _described(visit)
    before = visit_messages.VisitBefore.of(visit) if old is not None else None
    visit.starts_at, visit.note = moment, plan.note.strip()
    _set_participants(visit, plan.assignment_ids)
    if moment > now:
        visit_messages.visit_saved(visit, before)  # flushes
    else:
        db.session.flush()  # it took place: no invitation to the past
    details = _described(visit)
    changes = None
    if old is not None:
        changes = {
            key: {"old": old[key], "new": value}
            for key, value in details.items()
            if old[key] != value
        }
    record(
        action,
        visit,
        actor,
        application_id=application.id,
        **({"changes": changes} if changes is not None else details),
    )
    return visit


def _set_participants(visit: Visit, assignment_ids: Collection[int]) -> None:
    """Keep the chosen assessors, drop the others (their protocols stay with the visit)."""
    for participant in list(visit.participants):
        if participant.assignment_id not in assignment_ids:
            visit.participants.remove(participant)
    present = participant_ids(visit)
    for assignment_id in sorted(set(assignment_ids) - present):
        visit.participants.append(VisitParticipant(assignment_id=assignment_id))


def _described(visit: Visit) -> dict:
    """The visit in words for the audit log: time, note, visitors (by name)."""
    local = visit.starts_at.astimezone(local_zone())
    return {
        "starts_at": local.strftime("%d.%m.%Y %H:%M"),
        "note": visit.note,
        "visitors": ", ".join(sorted(item.assignment.assessor.name for item in visit.participants)),
    }


def cancel_visit(visit: Visit, expected_version: int | None, actor: User, now: datetime) -> None:
    """Cancel a planned visit (or take back one recorded by mistake). A visit with protocols,
    additions or photos took place and stays: nothing written about it is deleted unasked."""
    if visit.protocols or has_additions_or_photos(visit):
        raise VisitError(
            _("Zu diesem Besuch gibt es schon Protokolle. Er kann nicht mehr abgesagt werden.")
        )
    claim_version(visit, expected_version)
    record(
        "visit.cancelled",
        visit,
        actor,
        application_id=visit.application_id,
        **_described(visit),
    )
    if not took_place(visit, now):
        visit_messages.visit_cancelled(visit)
    db.session.delete(visit)
    db.session.flush()


def has_additions_or_photos(visit: Visit) -> bool:
    for model in (VisitProtocolAddition, VisitPhoto):
        found = sa.select(model.id).where(model.visit_id == visit.id).limit(1)
        if db.session.scalar(found) is not None:
            return True
    return False


def visit_for_assessor(assignment: Assignment) -> Visit | None:
    """The visit the assessor of ``assignment`` takes part in, if any."""
    visit = visit_of(assignment.application_id)
    if visit is None or assignment.id not in participant_ids(visit):
        return None
    return visit


def area_of(catalogue: Catalogue, code: str) -> Area | None:
    return next((area for area in catalogue.areas if area.code == code), None)


def protocol_of(visit: Visit, assignment_id: int, area_code: str) -> VisitProtocol | None:
    return db.session.scalar(
        sa.select(VisitProtocol).where(
            VisitProtocol.visit_id == visit.id,
            VisitProtocol.assignment_id == assignment_id,
            VisitProtocol.area_code == area_code,
        )
    )


def protocols_of(visit: Visit, assignment_id: int) -> dict[str, VisitProtocol]:
    rows = db.session.scalars(
        sa.select(VisitProtocol).where(
            VisitProtocol.visit_id == visit.id, VisitProtocol.assignment_id == assignment_id
        )
    )
    return {row.area_code: row for row in rows}


def empty_protocol_message() -> str:
    return _(
        "Bitte füllen Sie mindestens eines der drei Felder aus. Ein leeres Protokoll wird "
        "nicht gespeichert."
    )


def review_submitted(assignment: Assignment) -> bool:
    return assignment.review is not None and assignment.review.is_submitted


def save_protocol(
    visit: Visit,
    assignment: Assignment,
    catalogue: Catalogue,
    area_code: str,
    values: dict[str, str],
    expected_version: int | None,
    actor: User,
    today: date,
) -> VisitProtocol:
    """Save one visiting assessor's protocol of one area (part of their review)."""
    if assignment.id not in participant_ids(visit):
        raise VisitError(_("Sie nehmen an diesem Besuch nicht teil."))
    if not protocols_open(visit, today):
        raise VisitError(too_early_message(visit))
    if area_of(catalogue, area_code) is None:
        raise VisitError(_("Diesen Bereich gibt es im Katalog des Antrags nicht."))
    if review_submitted(assignment):
        raise VisitError(
            _("Ihr Gutachten ist eingereicht; das Protokoll kann nicht mehr geändert werden.")
        )
    if not any((values.get(name) or "").strip() for name in PROTOCOL_FIELDS):
        raise VisitError(empty_protocol_message(), "observed")
    protocol = protocol_of(visit, assignment.id, area_code)
    if protocol is None and expected_version is None:
        protocol = VisitProtocol(
            visit_id=visit.id, assignment_id=assignment.id, area_code=area_code
        )
        db.session.add(protocol)  # a second one at the same moment breaks the unique constraint
    elif protocol is None:
        raise ConflictError
    else:
        claim_version(protocol, expected_version)
    changed = [name for name in PROTOCOL_FIELDS if getattr(protocol, name) != values[name]]
    for name in PROTOCOL_FIELDS:
        setattr(protocol, name, values[name])
    db.session.flush()
    record(
        "visit.protocol_saved",
        protocol,
        actor,
        application_id=visit.application_id,
        school_id=assignment.application.school_id,
        area=area_code,
        fields=changed,
    )
    return protocol
