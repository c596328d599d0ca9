"""The jury's meeting (Jurysitzung): every submitted review side by side, the agreed level per
criterion, and the catalogue's award rule applied to the agreed levels as a proposal.

The rules at the top are pure (plain values in, plain values out); the services below read and
change the database and are wrapped by the caller in ``transaction()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application, CriterionAnswer
from seal_app.auth.models import User
from seal_app.catalogue.award import AwardAssessment, assess
from seal_app.catalogue.model import Area, Catalogue, Criterion
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    JuryLevel,
    Score,
    Visit,
    VisitProtocol,
)
from seal_app.reviews.submission import is_submitted

DIVERGENCE = 2  # levels apart from which assessors must talk it through, unless the catalogue
# sets its own threshold (``award_rule.divergence``)


class ConsensusError(Exception):
    """A rule of the consensus was broken; the message is for the user."""


# --- pure rules -------------------------------------------------------------------------------


def counted(assignments: Iterable[Assignment]) -> list[Assignment]:
    """The assignments whose review counts: declared free of conflict and submitted (a reopened
    review counts again only once it is submitted anew)."""
    return [
        item
        for item in assignments
        if item.conflict_state is ConflictState.NONE and is_submitted(item)
    ]


def mean_level(levels: Sequence[int]) -> Fraction | None:
    """The exact mean of the given levels; None without any."""
    return Fraction(sum(levels), len(levels)) if levels else None


def rounded_half_up(mean: Fraction) -> int:
    """The mean rounded half up (1.5 → 2, 2.5 → 3), as the page says; not banker's rounding."""
    return math.floor(mean + Fraction(1, 2))


def is_divergent(levels: Sequence[int], threshold: int = DIVERGENCE) -> bool:
    """Two assessors ``threshold`` or more levels apart: to be discussed in the meeting, and
    settled only with a level and a reason of its own (never adopted with the others)."""
    return bool(levels) and max(levels) - min(levels) >= threshold


def note_required(level: int, default: int | None) -> bool:
    """A level other than the rounded mean needs a reason."""
    return default is None or level != default


def check_agreed_level(
    catalogue: Catalogue,
    code: str,
    level: int | None,
    note: str,
    default: int | None,
    divergent: bool = False,
) -> Criterion:
    """The criterion the agreed level is for; ``ConsensusError`` when it cannot be saved."""
    criterion = catalogue.criterion(code)
    if criterion is None:
        raise ConsensusError(_("Dieses Kriterium gibt es im Katalog des Antrags nicht."))
    if level not in {item.value for item in catalogue.scale}:
        raise ConsensusError(_("Bitte wählen Sie eine Stufe der Skala des Katalogs."))
    if note_required(level, default) and not note.strip():
        if default is None:
            raise ConsensusError(
                _("Bitte begründen Sie die Stufe: Es gibt keinen Mittelwert der Gutachten.")
            )
        raise ConsensusError(
            _("Bitte begründen Sie, warum die Jury vom gerundeten Mittelwert abweicht.")
        )
    if divergent and not note.strip():
        raise ConsensusError(divergence_reason_message())
    return criterion


def divergence_reason_message() -> str:
    return _(
        "Die Gutachten liegen hier weit auseinander. Bitte begründen Sie, worauf sich die "
        "Jury geeinigt hat (zum Beispiel: siehe Diskussion vom 3.3.)."
    )


def award_proposal(catalogue: Catalogue, agreed: Mapping[str, int | None]) -> AwardAssessment:
    """The award rule applied to the agreed levels: a proposal, the decision comes later."""
    return assess(catalogue, agreed)


@dataclass(frozen=True)
class AreaMean:
    area: Area
    mean: Fraction | None  # mean over the area's criteria of each criterion's mean level


def area_means(catalogue: Catalogue, means: Mapping[str, Fraction | None]) -> list[AreaMean]:
    result = []
    for area in catalogue.areas:
        known = [means[item.code] for item in area.criteria if means.get(item.code) is not None]
        result.append(AreaMean(area, sum(known) / len(known) if known else None))
    return result


# --- the page's rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessorLevel:
    assessor: User
    level: int | None
    comment: str


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    self_rating: int | None
    levels: tuple[AssessorLevel, ...]
    mean: Fraction | None
    divergent: bool
    default: int | None  # the rounded mean: the agreed level unless the jury says otherwise
    agreed: JuryLevel | None

    @property
    def level(self) -> int | None:
        """The agreed level if saved, else the default."""
        return self.agreed.level if self.agreed is not None else self.default


@dataclass(frozen=True)
class ProtocolEntry:
    """One visiting assessor's protocol of one area, as the meeting shows it."""

    area: Area
    assessor: User
    observed: str
    talked_to: str
    findings: str


@dataclass(frozen=True)
class Consensus:
    application: Application
    catalogue: Catalogue
    reviews: tuple[Assignment, ...]  # counted assignments, in the order assigned
    areas: tuple[tuple[Area, tuple[CriterionRow, ...]], ...]
    area_means: tuple[AreaMean, ...]
    proposal: AwardAssessment
    protocols: tuple[ProtocolEntry, ...]
    visit: Visit | None

    @property
    def rows(self) -> list[CriterionRow]:
        return [row for _area, rows in self.areas for row in rows]

    def row(self, code: str) -> CriterionRow | None:
        return next((row for row in self.rows if row.criterion.code == code), None)

    @property
    def agreed_count(self) -> int:
        return sum(1 for row in self.rows if row.agreed is not None)

    @property
    def all_agreed(self) -> bool:
        """Every criterion has a saved level: the proposal rests on agreed levels only."""
        return self.agreed_count == len(self.rows)

    @property
    def to_adopt(self) -> list[str]:
        """Codes of the criteria without an agreed level whose rounded mean can be adopted:
        not the divergent ones, which are settled one by one with a reason."""
        return [
            row.criterion.code
            for row in self.rows
            if row.agreed is None and row.default is not None and not row.divergent
        ]

    @property
    def unsettled(self) -> list[CriterionRow]:
        """Divergent criteria still without an agreed level with a reason."""
        return [
            row
            for row in self.rows
            if row.divergent and (row.agreed is None or not row.agreed.note.strip())
        ]

    @property
    def settled(self) -> list[CriterionRow]:
        """Divergent criteria with an agreed level and its reason."""
        return [
            row
            for row in self.rows
            if row.divergent and row.agreed is not None and row.agreed.note.strip()
        ]

    @property
    def ready(self) -> bool:
        """Every criterion agreed, the divergent ones with a reason: the office may decide."""
        return self.all_agreed and not self.unsettled


ScoreLookup = Mapping[tuple[int, str], tuple[int | None, str]]
"""(assignment id, criterion code) → (level, comment) of the saved scores."""

NO_SCORE = (None, "")


def criterion_row(
    criterion: Criterion,
    reviews: Sequence[Assignment],
    scores: ScoreLookup,
    self_rating: int | None,
    agreed: JuryLevel | None,
    threshold: int = DIVERGENCE,
) -> CriterionRow:
    levels = tuple(
        AssessorLevel(item.assessor, *scores.get((item.id, criterion.code), NO_SCORE))
        for item in reviews
    )
    given = [entry.level for entry in levels if entry.level is not None]
    mean = mean_level(given)
    return CriterionRow(
        criterion=criterion,
        self_rating=self_rating,
        levels=levels,
        mean=mean,
        divergent=is_divergent(given, threshold),
        default=rounded_half_up(mean) if mean is not None else None,
        agreed=agreed,
    )


# --- services ---------------------------------------------------------------------------------


def assignments_for(application_id: int) -> list[Assignment]:
    """All assignments of the application with their assessors and reviews (scores are read
    apart, as plain values: ``score_lookup``)."""
    query = (
        sa.select(Assignment)
        .where(Assignment.application_id == application_id)
        .options(joinedload(Assignment.assessor), joinedload(Assignment.review))
        .order_by(Assignment.created_at, Assignment.id)
    )
    return list(db.session.scalars(query))


def score_lookup(application_id: int, code: str | None = None) -> ScoreLookup:
    """The levels and comments of every assessor of the application (of one criterion if
    ``code`` is given), as plain values: the meeting page shows many and changes none."""
    query = (
        sa.select(Score.assignment_id, Score.criterion_code, Score.level, Score.comment)
        .join(Assignment)
        .where(Assignment.application_id == application_id)
    )
    if code is not None:
        query = query.where(Score.criterion_code == code)
    return {
        (assignment_id, criterion_code): (level, comment)
        for assignment_id, criterion_code, level, comment in db.session.execute(query)
    }


def self_ratings(application_id: int) -> dict[str, int | None]:
    query = sa.select(CriterionAnswer.criterion_code, CriterionAnswer.self_rating).where(
        CriterionAnswer.application_id == application_id
    )
    return {code: rating for code, rating in db.session.execute(query)}


def missing_reviews(application: Application) -> list[Assignment]:
    """Assessors without a declared conflict whose review is not (or no longer) submitted;
    the meeting waits for them (``submission.all_reviews_in``)."""
    return [
        item
        for item in assignments_for(application.id)
        if item.conflict_state is not ConflictState.CONFLICT and not is_submitted(item)
    ]


def jury_levels(application_id: int) -> dict[str, JuryLevel]:
    rows = db.session.scalars(
        sa.select(JuryLevel).where(JuryLevel.application_id == application_id)
    )
    return {row.criterion_code: row for row in rows}


def jury_level(application_id: int, code: str) -> JuryLevel | None:
    return db.session.scalar(
        sa.select(JuryLevel).where(
            JuryLevel.application_id == application_id, JuryLevel.criterion_code == code
        )
    )


def _visit(application_id: int) -> Visit | None:
    return db.session.scalar(sa.select(Visit).where(Visit.application_id == application_id))


def protocol_entries(
    visit: Visit | None, reviews: Sequence[Assignment], catalogue: Catalogue
) -> tuple[ProtocolEntry, ...]:
    """The protocols of the counted reviews' assessors, by area in catalogue order, read as
    plain values (the meeting shows them and changes none)."""
    if visit is None:
        return ()
    assessors = {item.id: item.assessor for item in reviews}
    areas = {area.code: area for area in catalogue.areas}
    order = {code: index for index, code in enumerate(areas)}
    query = (
        sa.select(
            VisitProtocol.area_code,
            VisitProtocol.assignment_id,
            VisitProtocol.observed,
            VisitProtocol.talked_to,
            VisitProtocol.findings,
        )
        .where(VisitProtocol.visit_id == visit.id)
        .order_by(VisitProtocol.assignment_id)
    )
    entries = [
        ProtocolEntry(areas[code], assessors[assignment_id], observed, talked_to, findings)
        for code, assignment_id, observed, talked_to, findings in db.session.execute(query)
        if assignment_id in assessors and code in areas
    ]
    return tuple(sorted(entries, key=lambda entry: order[entry.area.code]))


def consensus_of(application: Application, catalogue: Catalogue) -> Consensus:
    """Everything the meeting looks at. Only call once ``all_reviews_in``."""
    reviews = tuple(counted(assignments_for(application.id)))
    scores = score_lookup(application.id)
    agreed = jury_levels(application.id)
    ratings = self_ratings(application.id)
    threshold = catalogue.award_rule.divergence
    areas = tuple(
        (
            area,
            tuple(
                criterion_row(
                    item, reviews, scores, ratings.get(item.code), agreed.get(item.code), threshold
                )
                for item in area.criteria
            ),
        )
        for area in catalogue.areas
    )
    rows = [row for _area, area_rows in areas for row in area_rows]
    visit = _visit(application.id)
    return Consensus(
        application=application,
        catalogue=catalogue,
        reviews=reviews,
        areas=areas,
        area_means=tuple(area_means(catalogue, {row.criterion.code: row.mean for row in rows})),
        proposal=award_proposal(catalogue, {row.criterion.code: row.level for row in rows}),
        protocols=protocol_entries(visit, reviews, catalogue),
        visit=visit,
    )
