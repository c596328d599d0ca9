"""A renewal across catalogue versions: which answers carry over, and what the school is told.

Answers, ratings and evidence carry over for every criterion whose code both versions have;
the rest is dropped. The renewal's pages then name the criteria new in this version, those
reworded (the carried-over text may need adjusting) and those no longer in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from seal_app.catalogue.diff import CriterionDiff, diff
from seal_app.catalogue.model import Area, Catalogue, Criterion

if TYPE_CHECKING:
    from seal_app.applications.models import Application


@dataclass(frozen=True)
class AreaNews:
    area: Area  # as in the new version; for a removed area, as it was
    added: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]
    reworded: tuple[CriterionDiff, ...]


@dataclass(frozen=True)
class RenewalChanges:
    old_version: str
    new_version: str
    areas: tuple[AreaNews, ...]  # only areas with something to tell
    answered_before: frozenset[str]  # codes the previous application answered or had files for

    @property
    def added_codes(self) -> set[str]:
        return {item.code for area in self.areas for item in area.added}

    @property
    def reworded_codes(self) -> set[str]:
        return {item.code for area in self.areas for item in area.reworded}

    def area(self, code: str) -> AreaNews | None:
        return next((item for item in self.areas if item.area.code == code), None)


def kept_codes(old: Catalogue, new: Catalogue) -> set[str]:
    """The criterion codes whose answers and evidence a renewal carries over."""
    return {item.code for item in old.criteria} & {item.code for item in new.criteria}


def changes_for(
    old: Catalogue, new: Catalogue, answered_before: set[str] | frozenset[str] = frozenset()
) -> RenewalChanges | None:
    """What a renewal on ``new`` tells a school whose last application followed ``old``;
    None when both are the same version."""
    if old.version == new.version:
        return None
    areas = []
    for area in diff(old, new).areas:
        reworded = tuple(item for item in area.changed if item.is_reworded)
        if area.added or area.removed or reworded:
            areas.append(AreaNews(area.area, area.added, area.removed, reworded))
    return RenewalChanges(old.version, new.version, tuple(areas), frozenset(answered_before))


def changes_of_application(application: Application) -> RenewalChanges | None:
    """For a renewal on another catalogue version than its previous application: the news."""
    from seal_app.applications.services import catalogue_of  # it imports this module

    previous = application.previous_application
    if previous is None:
        return None
    answered = {item.criterion_code for item in previous.answers}
    answered |= {item.criterion_code for item in previous.files if item.criterion_code}
    return changes_for(catalogue_of(previous), catalogue_of(application), answered)
