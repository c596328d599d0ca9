"""How far an application is: a state per criterion, counts per area, what blocks submission.

Pure rules on loaded objects: no database access, no request.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from seal_app.applications.models import Application, CriterionAnswer, EvidenceFile, VoteKind
from seal_app.catalogue.award import AwardAssessment, assess
from seal_app.catalogue.model import Area, Catalogue, Criterion


class State(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class Part(enum.StrEnum):
    """A part of a criterion's answer that completeness needs."""

    RATING = "rating"
    DESCRIPTION = "description"
    EVIDENCE = "evidence"

    @property
    def phrase(self) -> str:
        """The part as the subject of „Es fehlt noch …“."""
        return str(PART_PHRASES[self])


PART_PHRASES = {
    Part.RATING: _l("die Selbsteinschätzung"),
    Part.DESCRIPTION: _l("die Beschreibung der Maßnahmen"),
    Part.EVIDENCE: _l("ein Nachweis"),
}


@dataclass(frozen=True)
class CriterionProgress:
    criterion: Criterion
    state: State
    carried_over: bool
    requested: bool
    missing: tuple[Part, ...] = ()
    rating: int | None = None
    evidence_count: int = 0
    supplemented: bool = False  # requested, and already answered with text or a file

    @property
    def missing_text(self) -> str:
        """„Es fehlt noch ein Nachweis.“, or "" when nothing is missing."""
        return missing_sentence(self.missing) if self.missing else ""


@dataclass(frozen=True)
class AreaProgress:
    area: Area
    criteria: tuple[CriterionProgress, ...]
    renewal_note_state: State | None  # None: not a renewal

    @property
    def complete(self) -> int:
        return sum(1 for item in self.criteria if item.state is State.COMPLETE)


@dataclass(frozen=True)
class Blocker:
    """Something that keeps the application from being submitted, and where to fix it."""

    message: str
    target: str  # "criterion", "votes", "renewal" or "" (nothing to fix in the application)
    key: str = ""


@dataclass(frozen=True)
class Progress:
    areas: tuple[AreaProgress, ...]
    votes: dict[VoteKind, bool]

    @property
    def complete(self) -> int:
        return sum(area.complete for area in self.areas)

    @property
    def total(self) -> int:
        return sum(len(area.criteria) for area in self.areas)

    @property
    def percent(self) -> int:
        done = self.complete + sum(self.votes.values())
        return round(100 * done / (self.total + len(self.votes)))


def missing_parts(answer: CriterionAnswer | None, files: list[EvidenceFile]) -> tuple[Part, ...]:
    """What completeness still needs: a rating, and unless rated 0, a description and evidence."""
    rating = answer.self_rating if answer else None
    if rating == 0:
        return ()
    parts = [Part.RATING] if rating is None else []
    if not (answer and answer.measures.strip()):
        parts.append(Part.DESCRIPTION)
    if not files:
        parts.append(Part.EVIDENCE)
    return tuple(parts)


def criterion_state(answer: CriterionAnswer | None, files: list[EvidenceFile]) -> State:
    """Complete: nothing missing (see ``missing_parts``).

    An answer carried over from the last application counts as in progress until checked.
    """
    if answer is None:
        return State.NOT_STARTED
    texts = (answer.measures, answer.since, answer.participants, answer.partners)
    if answer.self_rating is None and not any(text.strip() for text in texts) and not files:
        return State.NOT_STARTED
    if answer.carried_over or missing_parts(answer, files):
        return State.IN_PROGRESS
    return State.COMPLETE


def missing_sentence(parts: tuple[Part, ...]) -> str:
    """„Es fehlt noch ein Nachweis.“ / „Es fehlen noch die Selbsteinschätzung und ein Nachweis.“"""
    return ngettext(
        "Es fehlt noch %(parts)s.", "Es fehlen noch %(parts)s.", len(parts), parts=_joined(parts)
    )


def missing_after_save(parts: tuple[Part, ...]) -> str:
    """The part of the save message that says what completeness still needs ("" if nothing)."""
    if not parts:
        return ""
    return ngettext(
        "Damit es vollständig ist, fehlt noch: %(parts)s.",
        "Damit es vollständig ist, fehlen noch: %(parts)s.",
        len(parts),
        parts=_joined(parts),
    )


def _joined(parts: tuple[Part, ...]) -> str:
    phrases = [part.phrase for part in parts]
    if len(phrases) < 2:
        return "".join(phrases)
    return _("%(first)s und %(last)s", first=", ".join(phrases[:-1]), last=phrases[-1])


def progress(application: Application, catalogue: Catalogue) -> Progress:
    open_request = application.open_request
    requested = set(open_request.criteria_codes) if open_request else set()
    renewal = application.kind.value == "renewal"
    areas = []
    for area in catalogue.areas:
        items = tuple(_criterion_progress(application, item, requested) for item in area.criteria)
        areas.append(
            AreaProgress(area, items, _renewal_state(application, area) if renewal else None)
        )
    votes = {kind: application.vote(kind) is not None for kind in VoteKind}
    return Progress(tuple(areas), votes)


def _criterion_progress(
    application: Application, criterion: Criterion, requested: set[str]
) -> CriterionProgress:
    answer = application.answer_for(criterion.code)
    files = application.files_for(criterion.code)
    return CriterionProgress(
        criterion=criterion,
        state=criterion_state(answer, files),
        carried_over=bool(answer and answer.carried_over),
        requested=criterion.code in requested,
        missing=missing_parts(answer, files),
        rating=answer.self_rating if answer else None,
        evidence_count=len(files),
        supplemented=criterion.code in requested
        and application.has_supplement(application.open_request, criterion.code),
    )


def _renewal_state(application: Application, area: Area) -> State:
    note = application.renewal_note(area.code)
    if note is None or not (note.changes.strip() or note.advice_response.strip()):
        return State.NOT_STARTED
    return State.COMPLETE if note.changes.strip() else State.IN_PROGRESS


def submission_blockers(application: Application, state: Progress, today: date) -> list[Blocker]:
    """Everything that must be done before the application can be submitted."""
    blockers = []
    round_ = application.round
    if not round_.is_open:
        blockers.append(Blocker(_("Die Vergaberunde ist geschlossen."), ""))
    elif today > round_.submission_deadline:
        blockers.append(Blocker(_("Die Abgabefrist ist abgelaufen."), ""))
    for area in state.areas:
        for item in area.criteria:
            if item.criterion.mandatory and item.state is not State.COMPLETE:
                blockers.append(Blocker(_missing_text(item), "criterion", item.criterion.code))
        if area.renewal_note_state is not None and area.renewal_note_state is not State.COMPLETE:
            blockers.append(
                Blocker(
                    _(
                        "%(code)s %(title)s: Beschreiben Sie, was sich seit der letzten Verleihung "
                        "verändert hat.",
                        code=area.area.code,
                        title=area.area.title,
                    ),
                    "renewal",
                    area.area.code,
                )
            )
    for kind, present in state.votes.items():
        if not present:
            blockers.append(
                Blocker(
                    _("%(vote)s fehlt (Datum und Dokument).", vote=kind.label), "votes", kind.value
                )
            )
    return blockers


def _missing_text(item: CriterionProgress) -> str:
    criterion = item.criterion
    if item.carried_over:
        return _(
            "%(code)s %(title)s: aus dem letzten Antrag übernommen, bitte prüfen und speichern.",
            code=criterion.code,
            title=criterion.title,
        )
    return _(
        "%(code)s %(title)s (Pflichtkriterium): %(missing)s",
        code=criterion.code,
        title=criterion.title,
        missing=missing_sentence(item.missing),
    )


def self_assessment(state: Progress, catalogue: Catalogue) -> AwardAssessment:
    """The catalogue's award rule applied to the school's own ratings (unrated counts 0)."""
    levels = {item.criterion.code: item.rating for area in state.areas for item in area.criteria}
    return assess(catalogue, levels)
