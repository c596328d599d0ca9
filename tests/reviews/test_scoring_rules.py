"""The rules of scoring as pure functions: when a comment is required, how progress counts,
what changed since the assessor scored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from seal_app.reviews.scoring import (
    CommentReason,
    changed_since_scored,
    comment_reasons,
    comment_required_message,
    next_code,
    progress_of,
)

DIVERGES, BELOW = CommentReason.DIVERGES, CommentReason.BELOW_MINIMUM


@pytest.mark.parametrize(
    ("level", "self_rating", "mandatory", "expected"),
    [
        (3, 3, False, ()),  # agrees
        (2, 3, True, ()),  # one away, at the minimum
        (1, 3, False, (DIVERGES,)),  # two away
        (3, 1, False, (DIVERGES,)),  # two away upwards
        (0, 3, False, (DIVERGES,)),  # three away
        (1, 2, True, (BELOW,)),  # one away but below the minimum of a mandatory criterion
        (1, 1, True, (BELOW,)),  # agrees with the school, still below the minimum
        (0, 3, True, (DIVERGES, BELOW)),  # both
        (1, None, False, ()),  # no self-rating: nothing to diverge from
        (0, None, True, (BELOW,)),  # no self-rating, mandatory below the minimum
        (None, 3, True, ()),  # no level: nothing to justify yet
    ],
)
def test_comment_reasons(level, self_rating, mandatory, expected):
    assert comment_reasons(level, self_rating, mandatory, minimum=2) == expected


def test_the_message_names_every_reason(app):
    with app.test_request_context():
        both = comment_required_message((DIVERGES, BELOW), 0, 3, 2)
        assert "weicht um 3 Stufen von der Selbsteinschätzung der Schule (Stufe 3) ab" in both
        assert "Pflichtkriterium" in both and "Mindeststufe 2" in both
        only_divergence = comment_required_message((DIVERGES,), 3, 1, 2)
        assert "Pflichtkriterium" not in only_divergence


def test_progress_counts_levels_of_the_catalogue_only(app):
    from seal_app.catalogue import services

    with app.app_context():
        catalogue = services.available()["2026.1"]
    total = len(list(catalogue.criteria))
    assert progress_of(catalogue, {}).scored == 0
    levels = {"A.1": 2, "A.2": None, "Z.9": 3, "B.1": 0}
    progress = progress_of(catalogue, levels)
    assert (progress.scored, progress.total, progress.open) == (2, total, total - 2)
    assert progress.percent == 2 * 100 // total and not progress.complete
    everything = {criterion.code: 1 for criterion in catalogue.criteria}
    assert progress_of(catalogue, everything).complete
    assert progress_of(catalogue, everything).percent == 100


def test_next_code_follows_the_catalogue(app):
    from seal_app.catalogue import services

    with app.app_context():
        catalogue = services.available()["2026.1"]
    codes = [criterion.code for criterion in catalogue.criteria]
    assert next_code(catalogue, codes[0]) == codes[1]
    assert next_code(catalogue, codes[-1]) is None


def test_changed_since_scored():
    now = datetime(2026, 5, 4, 12, tzinfo=UTC)
    scored = {"A.1": now - timedelta(days=2), "A.2": now + timedelta(hours=1)}
    answered = [(now, ["A.1", "A.2", "B.1"])]
    # A.1 scored before the answer, B.1 never scored; A.2 scored after it
    assert changed_since_scored(answered, scored) == {"A.1", "B.1"}
    assert changed_since_scored([], scored) == set()
