"""The award rule applied to levels per criterion (self-assessment now, consensus later)."""

from __future__ import annotations

from pathlib import Path

from seal_app.catalogue.award import assess
from seal_app.catalogue.loader import parse
from seal_app.catalogue.model import Area, AwardRule, Catalogue, Criterion, Level

SHIPPED = (Path(__file__).resolve().parents[2] / "criteria" / "2026.1.yaml").read_text("utf-8")


def _criterion(code: str, mandatory: bool = False, weight: int = 1) -> Criterion:
    return Criterion(code, f"Kriterium {code}", "", "", ("Nachweis",), mandatory, weight)


def _catalogue(share: float = 0.6) -> Catalogue:
    """Five criteria of weight 1 on a scale 0–3: at most 15 points, 60 % are 9."""
    criteria = (_criterion("A.1", mandatory=True), *(_criterion(f"A.{n}") for n in range(2, 6)))
    return Catalogue(
        version="t",
        title="Test",
        introduction="",
        source_name="",
        text="",
        sha256="",
        scale=tuple(Level(value, f"Stufe {value}", "") for value in range(4)),
        award_rule=AwardRule(2, share, ""),
        areas=(Area("A", "Bereich", "", criteria),),
    )


def test_exactly_at_the_threshold_meets_the_rule():
    result = assess(_catalogue(), {"A.1": 2, "A.2": 2, "A.3": 2, "A.4": 2, "A.5": 1})
    assert (result.points, result.maximum) == (9, 15)
    assert result.percent == 60 and result.required_percent == 60
    assert result.share_met and result.met and result.below_minimum == ()


def test_one_point_below_the_threshold_fails_and_is_not_rounded_up():
    result = assess(_catalogue(), {"A.1": 2, "A.2": 2, "A.3": 2, "A.4": 2, "A.5": 0})
    assert result.points == 8 and result.percent == 53
    assert not result.share_met and not result.met


def test_a_mandatory_criterion_below_the_minimum_fails_whatever_the_points():
    result = assess(_catalogue(), {"A.1": 1, "A.2": 3, "A.3": 3, "A.4": 3, "A.5": 3})
    assert result.share_met and not result.met
    assert [(item.criterion.code, item.level) for item in result.below_minimum] == [("A.1", 1)]


def test_all_zero_and_unrated():
    zero = assess(_catalogue(), dict.fromkeys(("A.1", "A.2", "A.3", "A.4", "A.5"), 0))
    unrated = assess(_catalogue(), {"A.1": None})
    for result in (zero, unrated):
        assert result.points == 0 and result.percent == 0 and not result.met
        assert [item.criterion.code for item in result.below_minimum] == ["A.1"]
    assert unrated.below_minimum[0].level is None


def test_agrees_with_the_catalogue_on_the_shipped_rule():
    catalogue = parse(SHIPPED)
    everything_good = {criterion.code: 2 for criterion in catalogue.criteria}
    assert assess(catalogue, everything_good).met == catalogue.meets_award_rule(everything_good)
    only_mandatory = {c.code: 3 for c in catalogue.criteria if c.mandatory}
    result = assess(catalogue, only_mandatory)
    assert not result.met and result.below_minimum == () and result.required_percent == 60
