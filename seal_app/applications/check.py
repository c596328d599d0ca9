"""The check before submitting, told short enough for a phone: what is still missing, grouped
by area with counts and links, built from the same blockers that keep submission closed.

Pure rules on loaded objects: no database access, no request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from seal_app.applications.models import VoteKind
from seal_app.applications.progress import (
    AreaProgress,
    Blocker,
    CriterionProgress,
    Part,
    Progress,
    State,
)

PART_NAMES = {
    Part.RATING: _l("Selbsteinschätzung"),
    Part.DESCRIPTION: _l("Beschreibung"),
    Part.EVIDENCE: _l("Nachweis"),
}


@dataclass(frozen=True)
class CheckEntry:
    """One thing to do: a criterion, an area's renewal note or a vote, and where to do it."""

    label: str
    note: str
    target: str  # "criterion", "renewal" or "votes", as in ``Blocker``
    key: str


@dataclass(frozen=True)
class CheckGroup:
    """The entries of one area (or of the votes), with the anchor of its part of the full list."""

    code: str  # the area's code, or "" for the votes
    title: str
    anchor: str
    entries: tuple[CheckEntry, ...]


def criterion_note(item: CriterionProgress) -> str:
    """„fehlt: Beschreibung, Nachweis“, short enough to stand beside a link on a phone."""
    if item.carried_over:
        return _("aus dem letzten Antrag übernommen, bitte prüfen und speichern")
    if item.state is State.NOT_STARTED:
        return _("nicht begonnen")
    return _("fehlt: %(parts)s", parts=", ".join(str(PART_NAMES[part]) for part in item.missing))


def missing_groups(state: Progress, blockers: Iterable[Blocker]) -> list[CheckGroup]:
    """The blockers that the school can fix, grouped by area in catalogue order, votes last."""
    wanted = {(blocker.target, blocker.key) for blocker in blockers if blocker.target}
    groups = [
        _area_group(area, [entry for entry in _area_entries(area) if entry[:2] in wanted])
        for area in state.areas
    ]
    votes = [
        CheckEntry(kind.label, _("Datum und Dokument fehlen"), "votes", kind.value)
        for kind in VoteKind
        if ("votes", kind.value) in wanted
    ]
    if votes:
        groups.append(CheckGroup("", _("Voten und Zustimmungen"), "check-votes", tuple(votes)))
    return [group for group in groups if group.entries]


def incomplete_groups(state: Progress) -> list[CheckGroup]:
    """Criteria that are no duty but not complete either, grouped by area."""
    groups = []
    for area in state.areas:
        entries = [
            _criterion_entry(item)
            for item in area.criteria
            if not item.criterion.mandatory and item.state is not State.COMPLETE
        ]
        if entries:
            groups.append(_area_group(area, [("criterion", e.key, e) for e in entries]))
    return groups


def entry_count(groups: Iterable[CheckGroup]) -> int:
    return sum(len(group.entries) for group in groups)


def _area_entries(area: AreaProgress) -> list[tuple[str, str, CheckEntry]]:
    """Every possible entry of an area, keyed like the blockers: (target, key, entry)."""
    entries = [("criterion", item.criterion.code, _criterion_entry(item)) for item in area.criteria]
    if area.renewal_note_state is not None:
        note = CheckEntry(
            _("Entwicklung seit der letzten Verleihung"),
            _("noch nicht beschrieben"),
            "renewal",
            area.area.code,
        )
        entries.append(("renewal", area.area.code, note))
    return entries


def _criterion_entry(item: CriterionProgress) -> CheckEntry:
    criterion = item.criterion
    return CheckEntry(
        f"{criterion.code} {criterion.title}", criterion_note(item), "criterion", criterion.code
    )


def _area_group(area: AreaProgress, entries: list[tuple[str, str, CheckEntry]]) -> CheckGroup:
    return CheckGroup(
        area.area.code,
        f"{area.area.code}. {area.area.title}",
        f"check-area-{area.area.code}",
        tuple(entry for _target, _key, entry in entries),
    )
