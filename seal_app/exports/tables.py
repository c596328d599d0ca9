"""The tables the office exports: one function per export, each returning a header and rows of
plain values (text, numbers, days, moments), read with a fixed number of queries however many
rows there are. The writers (``writers``) turn them into XLSX or CSV."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from seal_app.applications.models import Application
from seal_app.audit import log
from seal_app.audit.models import AuditEntry
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.award import assess
from seal_app.certificates import sealed
from seal_app.certificates.models import Certificate, Decision
from seal_app.exports.cells import Cell, Code
from seal_app.extensions import db
from seal_app.local_time import local_today, local_zone
from seal_app.reviews.models import Assignment, ConflictState, JuryLevel
from seal_app.reviews.submission import is_submitted
from seal_app.rounds.models import Round
from seal_app.schools.models import School

AUDIT_BATCH = 500  # audit entries named per round of queries


@dataclass(frozen=True)
class Table:
    """An export: the sheet's (and file's) name, the header and the rows."""

    name: str
    header: tuple[str, ...]
    rows: Iterator[tuple[Cell, ...]]


# --- (a) the applications of a round ----------------------------------------------------------


def applications(round_: Round) -> Table:
    """Every application of the round, by school name: the school, the state, each assessor's
    recommendation (as submitted), the jury's agreed level per criterion of the round's
    catalogue, the award rule on the agreed levels (once every criterion has one), the released
    decision, the certificate's number and its state today (with the day of a revocation)."""
    catalogue = catalogue_services.from_record(round_.catalogue)
    codes = [criterion.code for criterion in catalogue.criteria]
    found = list(
        db.session.scalars(
            sa.select(Application)
            .join(Application.school)
            .where(Application.round_id == round_.id)
            .options(joinedload(Application.school))
            .order_by(School.name, School.school_number)
        )
    )
    of_round = sa.select(Application.id).where(Application.round_id == round_.id)
    assessors = _assessors(of_round)
    levels = _agreed_levels(of_round)
    outcomes = _released_outcomes(of_round)
    certificates = _certificates(of_round)
    today = local_today()
    width = max((len(items) for items in assessors.values()), default=0)
    header = (
        _("Schule"),
        _("Schulnummer"),
        _("Schulart"),
        _("Ort"),
        _("Status"),
        *(
            title
            for position in range(1, width + 1)
            for title in (
                _("Gutachter/in %(number)d", number=position),
                _("Empfehlung %(number)d", number=position),
            )
        ),
        *codes,
        _("Punkte"),
        _("Höchstpunktzahl"),
        _("Anteil in Prozent"),
        _("Vergaberegel erfüllt"),
        _("Entscheidung"),
        _("Urkunde"),
        _("Stand der Urkunde"),
        _("Widerrufen am"),
    )

    def rows() -> Iterator[tuple[Cell, ...]]:
        for application in found:
            school = application.school
            agreed = levels.get(application.id, {})
            complete = all(code in agreed for code in codes)
            award = assess(catalogue, agreed) if complete else None
            given = assessors.get(application.id, [])
            certificate = certificates.get(application.id)
            recommendations = [*given, *[(None, None)] * (width - len(given))]
            yield (
                school.name,
                Code(school.school_number),
                school.school_type.label,
                school.town,
                application.status.label,
                *(value for pair in recommendations for value in pair),
                *(agreed.get(code) for code in codes),
                award.points if award else None,
                award.maximum if award else None,
                award.percent if award else None,
                (_("ja") if award.met else _("nein")) if award else None,
                outcomes.get(application.id),
                certificate.number if certificate else None,
                certificate.state_on(today).label if certificate else None,
                _local_day(certificate.revoked_at)
                if certificate and certificate.revoked_at
                else None,
            )

    return Table(_("Anträge %(year)d", year=round_.year), header, rows())


def _assessors(application_ids: sa.Select) -> dict[int, list[tuple[Cell, Cell]]]:
    """Per application, in the order assigned, (assessor, recommendation) of each assessor who
    has not declared a conflict; the recommendation only once the review is submitted."""
    result: dict[int, list[tuple[Cell, Cell]]] = defaultdict(list)
    query = (
        sa.select(Assignment)
        .where(
            Assignment.application_id.in_(application_ids),
            Assignment.conflict_state != ConflictState.CONFLICT,
        )
        .options(joinedload(Assignment.assessor), joinedload(Assignment.review))
        .order_by(Assignment.application_id, Assignment.created_at, Assignment.id)
    )
    for assignment in db.session.scalars(query):
        review = assignment.review
        if is_submitted(assignment) and review is not None and review.recommendation:
            recommendation = review.recommendation.label
        else:
            recommendation = _("noch nicht abgegeben")
        result[assignment.application_id].append((assignment.assessor.name, recommendation))
    return result


def _agreed_levels(application_ids: sa.Select) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = defaultdict(dict)
    query = sa.select(JuryLevel.application_id, JuryLevel.criterion_code, JuryLevel.level).where(
        JuryLevel.application_id.in_(application_ids)
    )
    for application_id, code, level in db.session.execute(query):
        if level is not None:
            result[application_id][code] = level
    return result


def _released_outcomes(application_ids: sa.Select) -> dict[int, str]:
    """The outcome of each released decision (a prepared one is not yet a decision)."""
    query = sa.select(Decision.application_id, Decision.outcome).where(
        Decision.application_id.in_(application_ids), Decision.released_at.is_not(None)
    )
    return {application_id: outcome.label for application_id, outcome in db.session.execute(query)}


def _certificates(application_ids: sa.Select) -> dict[int, Certificate]:
    query = sa.select(Certificate).where(Certificate.application_id.in_(application_ids))
    return {item.application_id: item for item in db.session.scalars(query)}


def _local_day(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


# --- (b) the schools --------------------------------------------------------------------------


def schools() -> Table:
    header = (
        _("Schulnummer"),
        _("Schule"),
        _("Schulart"),
        _("Straße"),
        _("PLZ"),
        _("Ort"),
        _("Schulträger"),
        _("Landkreis"),
        _("E-Mail-Adresse"),
        _("Telefon"),
        _("Erfasst am"),
    )
    query = sa.select(School).order_by(School.name, School.school_number)

    def rows() -> Iterator[tuple[Cell, ...]]:
        for school in db.session.scalars(query):
            yield (
                Code(school.school_number),
                school.name,
                school.school_type.label,
                school.street,
                Code(school.postal_code),
                school.town,
                school.school_authority,
                school.district,
                school.email,
                school.phone,
                school.created_at,
            )

    return Table(_("Schulen"), header, rows())


# --- (c) the sealed schools -------------------------------------------------------------------


def sealed_schools(today: date) -> Table:
    """The public list of schools with a valid seal (``certificates.sealed``), with its dates as
    days."""
    header = sealed.CSV_HEADER

    def rows() -> Iterator[tuple[Cell, ...]]:
        for row in sealed.rows(sealed.Filters(), today):
            certificate = row.certificate
            yield (
                certificate.school_name,
                row.school.school_type.label,
                certificate.school_town,
                certificate.number,
                certificate.issued_on,
                certificate.valid_until,
            )

    return Table(_("Siegelschulen"), header, rows())


# --- (d) the audit log ------------------------------------------------------------------------


def audit_log(first_day: date, last_day: date) -> Table:
    """The audit log's entries from the start of ``first_day`` to the end of ``last_day`` (local
    days), oldest first, named as the log page names them."""
    header = (
        _("Zeitpunkt"),
        _("Wer"),
        _("Aktion"),
        _("Schule"),
        _("Betrifft"),
        _("Einzelheiten"),
    )
    start, end = _local_midnight(first_day), _local_midnight(last_day + timedelta(days=1))

    def rows() -> Iterator[tuple[Cell, ...]]:
        for batch in _audit_batches(start, end):
            for row in log.rows(batch):
                entry = row.entry
                yield (
                    entry.occurred_at,
                    entry.actor.name if entry.actor else _("System"),
                    row.action,
                    row.school.name if row.school else None,
                    row.target.label if row.target else None,
                    "; ".join(f"{name}: {value}" for name, value in row.details),
                )

    return Table(_("Protokoll"), header, rows())


def _audit_batches(start: datetime, end: datetime) -> Iterator[list[AuditEntry]]:
    """The entries in batches (keyset paging), so that naming their objects takes one query
    per kind of object and batch, never one per entry."""
    query = (
        sa.select(AuditEntry)
        .where(AuditEntry.occurred_at >= start, AuditEntry.occurred_at < end)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.occurred_at, AuditEntry.id)
        .limit(AUDIT_BATCH)
    )
    batch = list(db.session.scalars(query))
    while batch:
        yield batch
        last = batch[-1]
        after = sa.or_(
            AuditEntry.occurred_at > last.occurred_at,
            sa.and_(AuditEntry.occurred_at == last.occurred_at, AuditEntry.id > last.id),
        )
        batch = list(db.session.scalars(query.where(after))) if len(batch) == AUDIT_BATCH else []


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())
