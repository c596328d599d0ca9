"""The catalogue's award rule applied to levels per criterion.

Pure: takes a catalogue and a mapping criterion code → level, whoever gave the levels (the
school's self-assessment, the jury's consensus). A criterion without a level counts as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from seal_app.catalogue.model import Catalogue, Criterion


@dataclass(frozen=True)
class ShortfallOfMandatory:
    """A mandatory criterion below the rule's minimum level."""

    criterion: Criterion
    level: int | None  # None: no level given


@dataclass(frozen=True)
class AwardAssessment:
    points: int
    maximum: int
    required_share: Fraction
    mandatory_min_level: int
    below_minimum: tuple[ShortfallOfMandatory, ...]

    @property
    def percent(self) -> int:
        """Share of the possible points, rounded down (59.9 % is shown as 59 %)."""
        return self.points * 100 // self.maximum

    @property
    def required_percent(self) -> int:
        return -(-self.required_share.numerator * 100 // self.required_share.denominator)

    @property
    def share_met(self) -> bool:
        return self.points >= self.required_share * self.maximum

    @property
    def met(self) -> bool:
        return self.share_met and not self.below_minimum


def assess(catalogue: Catalogue, levels: Mapping[str, int | None]) -> AwardAssessment:
    """How the given levels stand against the award rule of ``catalogue``."""
    rule = catalogue.award_rule
    known = {code: level for code, level in levels.items() if level is not None}
    below = tuple(
        ShortfallOfMandatory(item, levels.get(item.code))
        for item in catalogue.criteria
        if item.mandatory and known.get(item.code, 0) < rule.mandatory_min_level
    )
    return AwardAssessment(
        points=catalogue.points(known),
        maximum=catalogue.maximum_points,
        required_share=Fraction(str(rule.min_share_of_maximum)),
        mandatory_min_level=rule.mandatory_min_level,
        below_minimum=below,
    )
