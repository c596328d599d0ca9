"""What changed from one catalogue version to the next: pure values, nothing stored.

Criteria and areas are matched by their code: a criterion whose code is kept is the same
criterion (reworded, reweighted, perhaps no longer mandatory); a code that is gone was removed,
a new code was added. The office sees this before adding a version, and a renewal uses it to
tell the school what is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from seal_app.catalogue.model import Area, Catalogue, Criterion, Level
from seal_app.catalogue.words import Reworded, reworded

CRITERION_TEXTS = ("title", "description", "guidance", "evidence")
T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    old: T
    new: T


@dataclass(frozen=True)
class CriterionDiff:
    """A criterion in both versions that differs; ``texts`` per field name that changed."""

    old: Criterion
    new: Criterion
    texts: dict[str, Reworded]
    weight: Change[int] | None
    mandatory: Change[bool] | None

    @property
    def code(self) -> str:
        return self.new.code

    @property
    def is_reworded(self) -> bool:
        return bool(self.texts)


@dataclass(frozen=True)
class AreaDiff:
    """One area's changes; an added or removed area lists all its criteria as added/removed."""

    code: str
    old: Area | None
    new: Area | None
    title: Reworded | None
    description: Reworded | None
    added: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]
    changed: tuple[CriterionDiff, ...]

    @property
    def status(self) -> str:
        """One of: added, removed, renamed, changed."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "renamed" if self.title else "changed"

    @property
    def area(self) -> Area:
        return self.new or self.old  # type: ignore[return-value]


@dataclass(frozen=True)
class LevelDiff:
    value: int
    old: Level | None
    new: Level | None
    label: Reworded | None
    descriptor: Reworded | None


@dataclass(frozen=True)
class AwardRuleDiff:
    mandatory_min_level: Change[int] | None
    min_share_of_maximum: Change[float] | None
    description: Reworded | None


@dataclass(frozen=True)
class CatalogueDiff:
    old_version: str
    new_version: str
    title: Reworded | None
    introduction: Reworded | None
    areas: tuple[AreaDiff, ...]  # only areas with a change; the new order, then removed ones
    scale: tuple[LevelDiff, ...]
    award_rule: AwardRuleDiff | None

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.introduction or self.areas or self.scale) and (
            self.award_rule is None
        )

    @property
    def added_criteria(self) -> list[Criterion]:
        return [item for area in self.areas for item in area.added]

    @property
    def removed_criteria(self) -> list[Criterion]:
        return [item for area in self.areas for item in area.removed]

    @property
    def reworded_criteria(self) -> list[CriterionDiff]:
        return [item for area in self.areas for item in area.changed if item.is_reworded]

    @property
    def weight_changes(self) -> list[CriterionDiff]:
        return [item for area in self.areas for item in area.changed if item.weight]

    @property
    def mandatory_changes(self) -> list[CriterionDiff]:
        return [item for area in self.areas for item in area.changed if item.mandatory]

    def areas_with_status(self, status: str) -> list[AreaDiff]:
        return [area for area in self.areas if area.status == status]


def diff(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Everything that differs from ``old`` to ``new``."""
    old_areas = {area.code: area for area in old.areas}
    new_codes = {area.code for area in new.areas}
    areas = [_area_diff(old_areas.get(area.code), area) for area in new.areas]
    areas += [_area_diff(area, None) for area in old.areas if area.code not in new_codes]
    return CatalogueDiff(
        old_version=old.version,
        new_version=new.version,
        title=reworded(old.title, new.title),
        introduction=reworded(old.introduction, new.introduction),
        areas=tuple(area for area in areas if area is not None),
        scale=_scale_diff(old.scale, new.scale),
        award_rule=_award_rule_diff(old, new),
    )


def _area_diff(old: Area | None, new: Area | None) -> AreaDiff | None:
    old_criteria = {item.code: item for item in old.criteria} if old else {}
    new_criteria = {item.code: item for item in new.criteria} if new else {}
    changed = [
        _criterion_diff(old_criteria[code], item)
        for code, item in new_criteria.items()
        if code in old_criteria
    ]
    result = AreaDiff(
        code=(new or old).code,  # type: ignore[union-attr]
        old=old,
        new=new,
        title=reworded(old.title, new.title) if old and new else None,
        description=reworded(old.description, new.description) if old and new else None,
        added=tuple(item for code, item in new_criteria.items() if code not in old_criteria),
        removed=tuple(item for code, item in old_criteria.items() if code not in new_criteria),
        changed=tuple(item for item in changed if item is not None),
    )
    unchanged = old and new and not (result.title or result.description)
    if unchanged and not (result.added or result.removed or result.changed):
        return None
    return result


def _criterion_diff(old: Criterion, new: Criterion) -> CriterionDiff | None:
    texts = {}
    for name in CRITERION_TEXTS:
        change = reworded(_text(old, name), _text(new, name))
        if change is not None:
            texts[name] = change
    weight = Change(old.weight, new.weight) if old.weight != new.weight else None
    mandatory = Change(old.mandatory, new.mandatory) if old.mandatory != new.mandatory else None
    if not texts and weight is None and mandatory is None:
        return None
    return CriterionDiff(old, new, texts, weight, mandatory)


def _text(criterion: Criterion, name: str) -> str:
    value = getattr(criterion, name)
    return "\n".join(value) if name == "evidence" else value


def _scale_diff(old: tuple[Level, ...], new: tuple[Level, ...]) -> tuple[LevelDiff, ...]:
    old_levels = {level.value: level for level in old}
    new_levels = {level.value: level for level in new}
    changes = []
    for value in sorted(old_levels.keys() | new_levels.keys()):
        before, after = old_levels.get(value), new_levels.get(value)
        label = reworded(before.label, after.label) if before and after else None
        descriptor = reworded(before.descriptor, after.descriptor) if before and after else None
        if before is None or after is None or label or descriptor:
            changes.append(LevelDiff(value, before, after, label, descriptor))
    return tuple(changes)


def _award_rule_diff(old: Catalogue, new: Catalogue) -> AwardRuleDiff | None:
    before, after = old.award_rule, new.award_rule
    result = AwardRuleDiff(
        mandatory_min_level=_change(before.mandatory_min_level, after.mandatory_min_level),
        min_share_of_maximum=_change(before.min_share_of_maximum, after.min_share_of_maximum),
        description=reworded(before.description, after.description),
    )
    if result.mandatory_min_level or result.min_share_of_maximum or result.description:
        return result
    return None


def _change(old: T, new: T) -> Change[T] | None:
    return Change(old, new) if old != new else None
