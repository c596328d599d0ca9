"""The catalogue as immutable values, as loaded from a validated file."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    value: int
    label: str
    descriptor: str


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    description: str
    guidance: str
    evidence: tuple[str, ...]
    mandatory: bool
    weight: int


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    description: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class AwardRule:
    mandatory_min_level: int
    min_share_of_maximum: float
    description: str
    divergence: int = 2  # levels apart from which assessors must settle with a reason


@dataclass(frozen=True)
class Catalogue:
    version: str
    title: str
    introduction: str
    source_name: str
    text: str
    sha256: str
    scale: tuple[Level, ...]
    award_rule: AwardRule
    areas: tuple[Area, ...]

    @property
    def criteria(self) -> Iterator[Criterion]:
        for area in self.areas:
            yield from area.criteria

    def criterion(self, code: str) -> Criterion | None:
        return next((item for item in self.criteria if item.code == code), None)

    @property
    def top_level(self) -> int:
        return self.scale[-1].value

    @property
    def maximum_points(self) -> int:
        return sum(item.weight for item in self.criteria) * self.top_level

    def points(self, levels: Mapping[str, int]) -> int:
        """Weighted points for a rating per criterion code (missing criteria count 0)."""
        return sum(item.weight * levels.get(item.code, 0) for item in self.criteria)

    def meets_award_rule(self, levels: Mapping[str, int]) -> bool:
        """Whether ratings per criterion code satisfy the award rule of this catalogue."""
        rule = self.award_rule
        mandatory_ok = all(
            levels.get(item.code, 0) >= rule.mandatory_min_level
            for item in self.criteria
            if item.mandatory
        )
        return (
            mandatory_ok and self.points(levels) >= rule.min_share_of_maximum * self.maximum_points
        )
