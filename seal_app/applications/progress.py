"""How far an application is: a state per criterion, counts per area, what blocks submission.

Pure rules on loaded objects: no database access, no request.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from seal_app.applications.models import Application, CriterionAnswer, EvidenceFile, VoteKind
from seal_app.catalogue.model import Area, Catalogue, Criterion


class State(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


@dataclass(frozen=True)
class CriterionProgress:
    criterion: Criterion
    state: State
    carried_over: bool
    requested: bool


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


def criterion_state(answer: CriterionAnswer | None, files: list[EvidenceFile]) -> State:
    """Complete: rated, and unless rated 0, described with at least one piece of evidence.

    An answer carried over from the last application counts as in progress until checked.
    """
    if answer is None:
        return State.NOT_STARTED
    texts = (answer.measures, answer.since, answer.participants, answer.partners)
    if answer.self_rating is None and not any(text.strip() for text in texts) and not files:
        return State.NOT_STARTED
    if answer.carried_over or answer.self_rating is None:
        return State.IN_PROGRESS
    if answer.self_rating == 0 or (answer.measures.strip() and files):
        return State.COMPLETE
    return State.IN_PROGRESS


def progress(application: Application, catalogue: Catalogue) -> Progress:
    requested = set(application.open_request.criteria_codes) if application.open_request else set()
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
    return CriterionProgress(
        criterion=criterion,
        state=criterion_state(answer, application.files_for(criterion.code)),
        carried_over=bool(answer and answer.carried_over),
        requested=criterion.code in requested,
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
        "%(code)s %(title)s (Pflichtkriterium): Selbsteinschätzung, Beschreibung und "
        "mindestens ein Nachweis fehlen noch.",
        code=criterion.code,
        title=criterion.title,
    )
