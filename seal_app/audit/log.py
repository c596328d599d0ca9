"""Reading the audit log: filtering, paging and naming the objects entries refer to.

Names and links for one page of entries are loaded with one query per kind of object, never
one per entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from seal_app.accounts.models import AccessRequest
from seal_app.applications.models import (
    Application,
    CriterionAnswer,
    EvidenceFile,
    RenewalNote,
    Vote,
)
from seal_app.audit import labels
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import User
from seal_app.certificates.models import Certificate, Decision
from seal_app.extensions import db
from seal_app.local_time import local_zone
from seal_app.reviews.models import Assignment, JuryLevel, Review, Score, Visit, VisitProtocol
from seal_app.rounds.models import Round
from seal_app.schools.models import School

MAX_DATABASE_ID = 2**31 - 1

# What each kind of object is called, for entries whose object no longer exists.
TYPE_LABELS = {
    "access_requests": _l("Zugangsanfrage"),
    "applications": _l("Antrag"),
    "assignments": _l("Zuweisung"),
    "certificates": _l("Urkunde"),
    "criterion_answers": _l("Angaben zu einem Kriterium"),
    "decisions": _l("Entscheidung"),
    "evidence_files": _l("Nachweis"),
    "evidence_requests": _l("Nachforderung"),
    "jury_levels": _l("Vereinbarte Stufe"),
    "renewal_notes": _l("Verlängerung"),
    "request_responses": _l("Antwort auf eine Nachforderung"),
    "reviews": _l("Gutachten"),
    "rounds": _l("Vergaberunde"),
    "schools": _l("Schule"),
    "scores": _l("Bewertung"),
    "users": _l("Benutzerkonto"),
    "visit_participants": _l("Teilnahme am Besuch vor Ort"),
    "visit_protocols": _l("Besuchsprotokoll"),
    "visits": _l("Besuch vor Ort"),
    "votes": _l("Votum"),
}


@dataclass(frozen=True)
class Filters:
    school_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Target:
    """What an entry is about, named for people, with a link where there is a page."""

    label: str
    url: str | None = None


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    action: str
    school: School | None
    target: Target | None
    details: list[tuple[str, str]]


def search(filters: Filters, page: int, per_page: int) -> Pagination:
    """Entries matching ``filters``, newest first."""
    query = (
        sa.select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
    )
    if filters.school_id is not None:
        query = query.where(AuditEntry.school_id == filters.school_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from is not None:
        query = query.where(AuditEntry.occurred_at >= _start_of_local_day(filters.date_from))
    if filters.date_to is not None:
        next_day = filters.date_to + timedelta(days=1)
        query = query.where(AuditEntry.occurred_at < _start_of_local_day(next_day))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _start_of_local_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


def schools_for_filter() -> list[tuple[int, str]]:
    query = sa.select(School.id, School.name, School.town).order_by(School.name, School.town)
    return [(row.id, f"{row.name} ({row.town})") for row in db.session.execute(query)]


def rows(entries: list[AuditEntry]) -> list[Row]:
    """The entries of one page with German labels, school names and links."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if (
            entry.object_id.isascii()
            and entry.object_id.isdigit()
            and (int(entry.object_id) <= MAX_DATABASE_ID)
        ):
            by_type[entry.object_type].add(int(entry.object_id))
    school_ids = {entry.school_id for entry in entries if entry.school_id is not None}
    schools = _by_id(School, school_ids | by_type.get("schools", set()))
    targets = _targets(by_type, schools)
    return [
        Row(
            entry=entry,
            action=labels.action_label(entry.action),
            school=schools.get(entry.school_id) if entry.school_id is not None else None,
            target=targets.get((entry.object_type, entry.object_id)) or _fallback_target(entry),
            details=labels.describe(entry.details or {}),
        )
        for entry in entries
    ]


def _by_id(model, ids: Iterable[int], *options) -> dict[int, Any]:
    ids = set(ids)
    if not ids:
        return {}
    query = sa.select(model).where(model.id.in_(ids)).options(*options)
    return {item.id: item for item in db.session.scalars(query)}


def _targets(by_type: dict[str, set[int]], schools: dict[int, School]) -> dict:
    targets: dict[tuple[str, str], Target] = {}

    def add(object_type: str, items: dict[int, Any], make) -> None:
        for item_id, item in items.items():
            targets[(object_type, str(item_id))] = make(item)

    add("schools", {i: schools[i] for i in by_type.get("schools", ()) if i in schools}, _school)
    applications = _by_id(
        Application, by_type.get("applications", ()), selectinload(Application.round)
    )
    add("applications", applications, _application)
    add("evidence_files", _by_id(EvidenceFile, by_type.get("evidence_files", ())), _file)
    add("votes", _by_id(Vote, by_type.get("votes", ())), _vote)
    add("criterion_answers", _by_id(CriterionAnswer, by_type.get("criterion_answers", ())), _answer)
    add("renewal_notes", _by_id(RenewalNote, by_type.get("renewal_notes", ())), _renewal_note)
    add("rounds", _by_id(Round, by_type.get("rounds", ())), _round)
    add("users", _by_id(User, by_type.get("users", ())), _user)
    add("access_requests", _by_id(AccessRequest, by_type.get("access_requests", ())), _request)
    assignments = _by_id(
        Assignment, by_type.get("assignments", ()), selectinload(Assignment.assessor)
    )
    add("assignments", assignments, _assignment)
    _add_review_targets(by_type, add)
    return targets


def _add_review_targets(by_type: dict[str, set[int]], add) -> None:
    """Scores, reviews, agreed levels, visits and protocols: one query per kind."""
    with_assessor = selectinload(Score.assignment).selectinload(Assignment.assessor)
    add("scores", _by_id(Score, by_type.get("scores", ()), with_assessor), _score)
    of_review = selectinload(Review.assignment).selectinload(Assignment.assessor)
    add("reviews", _by_id(Review, by_type.get("reviews", ()), of_review), _review)
    add("jury_levels", _by_id(JuryLevel, by_type.get("jury_levels", ())), _jury_level)
    add("visits", _by_id(Visit, by_type.get("visits", ())), _visit)
    protocols = _by_id(
        VisitProtocol,
        by_type.get("visit_protocols", ()),
        selectinload(VisitProtocol.visit),
        selectinload(VisitProtocol.assignment).selectinload(Assignment.assessor),
    )
    add("visit_protocols", protocols, _protocol)
    add("decisions", _by_id(Decision, by_type.get("decisions", ())), _decision)
    add("certificates", _by_id(Certificate, by_type.get("certificates", ())), _certificate)


def _score(score: Score) -> Target:
    assignment = score.assignment
    label = _(
        "Bewertung zu %(code)s (%(name)s)",
        code=score.criterion_code,
        name=assignment.assessor.name,
    )
    return Target(label, _office_page(assignment.application_id))


def _review(review: Review) -> Target:
    assignment = review.assignment
    label = _("Gutachten von %(name)s", name=assignment.assessor.name)
    return Target(label, _office_page(assignment.application_id))


def _jury_level(level: JuryLevel) -> Target:
    label = _("Vereinbarte Stufe zu %(code)s", code=level.criterion_code)
    return Target(label, _office_page(level.application_id))


def _decision(decision: Decision) -> Target:
    return Target(
        _("Entscheidung: %(outcome)s", outcome=decision.outcome.label),
        url_for("decisions.decide", application_id=decision.application_id),
    )


def _certificate(certificate: Certificate) -> Target:
    return Target(
        _("Urkunde Nr. %(number)s", number=certificate.number),
        url_for("revocation.confirm", certificate_id=certificate.id),
    )


def _visit(visit: Visit) -> Target:
    when = format_date(visit.starts_at, "long", rebase=True)
    return Target(_("Besuch vor Ort am %(date)s", date=when), _office_page(visit.application_id))


def _protocol(protocol: VisitProtocol) -> Target:
    label = _(
        "Besuchsprotokoll Bereich %(area)s (%(name)s)",
        area=protocol.area_code,
        name=protocol.assignment.assessor.name,
    )
    return Target(label, _office_page(protocol.visit.application_id))


def _school(school: School) -> Target:
    return Target(school.name, url_for("schools.show", school_id=school.id))


def _application(application: Application) -> Target:
    label = _("Antrag, %(round)s", round=application.round.title)
    return Target(label, _overview(application.id))


def _overview(application_id: int) -> str:
    return url_for("applications.overview", application_id=application_id)


def _file(file: EvidenceFile) -> Target:
    if file.criterion_code is None:  # the document of a vote
        url = url_for("applications.votes", application_id=file.application_id)
        return Target(_("Dokument „%(name)s“", name=file.display_name), url)
    return Target(_("Nachweis „%(name)s“", name=file.display_name), _overview(file.application_id))


def _vote(vote: Vote) -> Target:
    return Target(
        vote.kind.label, url_for("applications.votes", application_id=vote.application_id)
    )


def _answer(answer: CriterionAnswer) -> Target:
    url = url_for(
        "applications.criterion", application_id=answer.application_id, code=answer.criterion_code
    )
    return Target(_("Kriterium %(code)s", code=answer.criterion_code), url)


def _renewal_note(note: RenewalNote) -> Target:
    url = url_for(
        "applications.renewal", application_id=note.application_id, area_code=note.area_code
    )
    return Target(_("Verlängerung, Bereich %(area)s", area=note.area_code), url)


def _office_page(application_id: int) -> str:
    return url_for("review_office.application", application_id=application_id)


def _assignment(assignment: Assignment) -> Target:
    label = _("Zuweisung von %(name)s", name=assignment.assessor.name)
    return Target(label, _office_page(assignment.application_id))


def _round(round_: Round) -> Target:
    return Target(round_.title, url_for("rounds.edit", round_id=round_.id))


def _user(user: User) -> Target:
    return Target(user.name, url_for("accounts.edit_user", user_id=user.id))


def _request(request: AccessRequest) -> Target:
    return Target(
        _("Zugangsanfrage von %(name)s", name=request.name), url_for("accounts.access_requests")
    )


def _fallback_target(entry: AuditEntry) -> Target | None:
    """An object that no longer exists: its application if the entry names one, else its code."""
    if entry.object_type == "-":
        return None
    application_id = (entry.details or {}).get("application_id")
    if entry.object_type in {"evidence_files", "votes"} and isinstance(application_id, int):
        file_name = (entry.details or {}).get("file")
        label = _("Nachweis „%(name)s“", name=file_name) if file_name else _("Nachweis")
        return Target(label, _overview(application_id))
    type_label = TYPE_LABELS.get(entry.object_type)
    kind = str(type_label) if type_label is not None else entry.object_type
    if entry.object_type in _OF_THE_REVIEW and isinstance(application_id, int):
        return Target(_("%(type)s (entfernt)", type=kind), _office_page(application_id))
    return Target(_("%(type)s Nr. %(id)s", type=kind, id=entry.object_id))


# Parts of the review, shown on the office's page of their application.
_OF_THE_REVIEW = frozenset(
    {"assignments", "scores", "reviews", "jury_levels", "visits", "visit_protocols", "decisions"}
)
