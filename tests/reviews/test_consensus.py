"""The jury's meeting: the rules (mean, divergence, rounded default, note, award proposal) and
the page (who may open it when, saving agreed levels, the chart)."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from seal_app.applications.services import catalogue_of
from seal_app.auth.models import Role
from seal_app.catalogue.model import Area, AwardRule, Catalogue, Criterion, Level
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews import agreed_levels, consensus
from seal_app.reviews.models import Assignment, ConflictState, JuryLevel
from tests.conftest import text_of
from tests.reviews.jury_setup import (
    actions,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)

# --- pure rules -------------------------------------------------------------------------------


def _criterion(code: str, mandatory: bool = False, weight: int = 1) -> Criterion:
    return Criterion(code, f"Kriterium {code}", "", "", ("Nachweis",), mandatory, weight)


def _catalogue() -> Catalogue:
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
        award_rule=AwardRule(2, 0.6, ""),
        areas=(Area("A", "Bereich", "", criteria),),
    )


def _assignment(state=ConflictState.NONE, submitted=True, levels=None, name="X"):
    """A stand-in with what the rules read: declaration, review, scores."""
    scores = {
        code: SimpleNamespace(level=level, comment=f"{name} {code}")
        for code, level in (levels or {}).items()
    }
    review = SimpleNamespace(is_submitted=submitted)
    return SimpleNamespace(
        id=id(scores),
        conflict_state=state,
        review=review,
        assessor=SimpleNamespace(name=name),
        levels=scores,
    )


def _scores(*assignments) -> dict:
    """The score lookup the consensus reads, built from the stand-ins' levels."""
    return {
        (item.id, code): (score.level, score.comment)
        for item in assignments
        for code, score in item.levels.items()
    }


@pytest.mark.parametrize(
    ("levels", "mean", "default"),
    [
        ([2], Fraction(2), 2),
        ([1, 2], Fraction(3, 2), 2),
        ([2, 3], Fraction(5, 2), 3),
        ([0, 1], Fraction(1, 2), 1),
        ([1, 1, 2], Fraction(4, 3), 1),
        ([1, 2, 2], Fraction(5, 3), 2),
    ],
)
def test_mean_and_default_round_half_up(levels, mean, default):
    assert consensus.mean_level(levels) == mean
    assert consensus.rounded_half_up(mean) == default


def test_no_levels_no_mean():
    assert consensus.mean_level([]) is None
    assert not consensus.is_divergent([])


@pytest.mark.parametrize(
    ("levels", "divergent"),
    [([2], False), ([1, 2], False), ([1, 3], True), ([0, 2, 1], True), ([3, 3], False)],
)
def test_divergence_from_two_levels_apart(levels, divergent):
    assert consensus.is_divergent(levels) is divergent


def test_single_assessor_gives_mean_and_no_divergence():
    anna = _assignment(levels={"A.1": 3}, name="Anna")
    row = consensus.criterion_row(_criterion("A.1"), [anna], _scores(anna), 2, None)
    assert row.mean == 3 and row.default == 3 and not row.divergent
    assert [entry.assessor.name for entry in row.levels] == ["Anna"]
    assert row.self_rating == 2 and row.level == 3


def test_conflicted_pending_and_reopened_reviews_do_not_count():
    counted = _assignment(levels={"A.1": 1}, name="Anna")
    conflicted = _assignment(ConflictState.CONFLICT, levels={"A.1": 3}, name="Cora")
    pending = _assignment(ConflictState.PENDING, submitted=False, name="Paul")
    reopened = _assignment(submitted=False, levels={"A.1": 3}, name="Rita")
    reviews = consensus.counted([counted, conflicted, pending, reopened])
    assert reviews == [counted]
    scores = _scores(counted, conflicted, pending, reopened)
    row = consensus.criterion_row(_criterion("A.1"), reviews, scores, None, None)
    assert row.mean == 1 and not row.divergent  # 1 and 3 would be flagged


def test_resubmitted_review_counts_again():
    first = _assignment(levels={"A.1": 1}, name="Anna")
    resubmitted = _assignment(levels={"A.1": 3}, name="Rita")
    reviews = consensus.counted([first, resubmitted])
    row = consensus.criterion_row(_criterion("A.1"), reviews, _scores(*reviews), None, None)
    assert row.mean == 2 and row.divergent


def test_saved_level_wins_over_the_default():
    agreed = SimpleNamespace(level=1, note="Konzept veraltet")
    anna = _assignment(levels={"A.1": 3})
    row = consensus.criterion_row(_criterion("A.1"), [anna], _scores(anna), 2, agreed)
    assert row.default == 3 and row.level == 1


def test_note_required_only_when_different_from_the_rounded_mean():
    catalogue = _catalogue()
    assert not consensus.note_required(2, 2)
    assert consensus.note_required(1, 2)
    assert consensus.note_required(1, None)
    consensus.check_agreed_level(catalogue, "A.1", 2, "", 2)
    with pytest.raises(consensus.ConsensusError, match="begründen"):
        consensus.check_agreed_level(catalogue, "A.1", 1, "  ", 2)
    consensus.check_agreed_level(catalogue, "A.1", 1, "Konzept veraltet", 2)


@pytest.mark.parametrize("level", [-1, 4, None])
def test_levels_outside_the_scale_are_refused(level):
    with pytest.raises(consensus.ConsensusError, match="Stufe der Skala"):
        consensus.check_agreed_level(_catalogue(), "A.1", level, "Grund", 2)


def test_codes_not_in_the_catalogue_are_refused():
    with pytest.raises(consensus.ConsensusError, match="gibt es im Katalog"):
        consensus.check_agreed_level(_catalogue(), "Z.9", 2, "", 2)


def test_award_proposal_exactly_at_the_threshold_is_met():
    result = consensus.award_proposal(
        _catalogue(), {"A.1": 2, "A.2": 2, "A.3": 2, "A.4": 2, "A.5": 1}
    )
    assert (result.points, result.maximum, result.percent) == (9, 15, 60)
    assert result.share_met and result.met and result.below_minimum == ()


def test_award_proposal_one_point_below_the_threshold_is_not_met():
    result = consensus.award_proposal(
        _catalogue(), {"A.1": 2, "A.2": 2, "A.3": 2, "A.4": 2, "A.5": 0}
    )
    assert result.points == 8 and not result.share_met and not result.met


def test_award_proposal_with_a_mandatory_criterion_short():
    result = consensus.award_proposal(
        _catalogue(), {"A.1": 1, "A.2": 3, "A.3": 3, "A.4": 3, "A.5": 3}
    )
    assert result.share_met and not result.met
    assert [(item.criterion.code, item.level) for item in result.below_minimum] == [("A.1", 1)]


def test_area_means_average_the_criteria_means():
    means = {"A.1": Fraction(3, 2), "A.2": Fraction(3), "A.3": None}
    [area] = consensus.area_means(_catalogue(), means)
    assert area.mean == Fraction(9, 4)


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def _url(meeting) -> str:
    return f"/applications/{meeting.application_id}/consensus"


def _all_in(app, meeting) -> None:
    submit_review(app, meeting.first_assignment_id, {"A.1": 1, "B.1": 3})
    submit_review(app, meeting.second_assignment_id, {"A.1": 3, "B.1": 3})


def test_before_all_reviews_the_office_sees_who_is_missing(app, meeting):
    submit_review(app, meeting.first_assignment_id)
    response = client_of(app, meeting.office).get(_url(meeting))
    text = text_of(response)
    assert response.status_code == 200
    assert "Es fehlen noch" in text and "Bernd Brandt" in text and "Anna Arndt" not in text
    assert client_of(app, meeting.office).get(_url(meeting) + "/chart.svg").status_code == 404


def test_assessors_wait_for_their_own_review_and_all_others(app, meeting):
    first = client_of(app, meeting.first)
    assert first.get(_url(meeting)).status_code == 404  # nothing submitted
    submit_review(app, meeting.first_assignment_id)
    assert first.get(_url(meeting)).status_code == 404  # the other review is missing
    second = client_of(app, meeting.second)
    assert second.get(_url(meeting)).status_code == 404  # own review missing
    submit_review(app, meeting.second_assignment_id)
    response = first.get(_url(meeting))
    assert response.status_code == 200
    assert "Bernd Brandt" in text_of(response)
    assert 'name="criterion"' not in response.get_data(as_text=True)  # reads, does not save
    assert (
        first.post(_url(meeting), data={"criterion": "A.1", "level-A-1-level": "2"}).status_code
        == 403
    )


def test_conflicted_and_unassigned_assessors_never_see_the_meeting(app, make, meeting):
    _all_in(app, meeting)
    outsider = make.user(Role.ASSESSOR, "dritte@example.org")
    with app.app_context():
        assignment = db.session.get(Assignment, meeting.second_assignment_id)
        assignment.conflict_state = ConflictState.CONFLICT
        db.session.commit()
    assert client_of(app, meeting.second).get(_url(meeting)).status_code == 404
    assert client_of(app, outsider).get(_url(meeting)).status_code == 404
    assert client_of(app, meeting.staff).get(_url(meeting)).status_code == 403


def test_the_office_sees_levels_divergence_self_rating_chart_and_proposal(app, meeting):
    _all_in(app, meeting)
    response = client_of(app, meeting.office).get(_url(meeting))
    html = response.get_data(as_text=True)
    text = text_of(response)
    assert response.status_code == 200
    assert "Abweichung – bitte besprechen" in text
    assert text.count("Abweichung – bitte besprechen") == 1  # A.1 (1 and 3); B.1 agrees
    assert "Kommentar 1" in text and "Kommentar 3" in text
    assert "Selbsteinschätzung der Schule" in text
    assert "kaufmännisch gerundet" in text
    assert "Vorschlag nach der Vergaberegel" in text and "Punkte:" in text
    assert f'src="/applications/{meeting.application_id}/consensus/chart.svg"' in html
    assert "Mittlere Stufe je Bereich" in text
    assert "Überzeugendes Konzept." in text and "verleihen" in text


def test_the_chart_is_an_svg_picture_with_a_title(app, meeting):
    _all_in(app, meeting)
    response = client_of(app, meeting.office).get(_url(meeting) + "/chart.svg")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert '<title id="chart-title">Mittlere Stufe der Gutachten je Bereich</title>' in body
    assert "<script" not in body
    # A: A.1 mean 2, A.2 2, A.3 2 → 2,00; B: B.1 3, B.2 2, B.3 2 → 2,33 (as in the table)
    assert ">2,33<" in body and ">2,00<" in body


def _level_form(code: str, level: str, note: str = "", version: str = "") -> dict:
    prefix = "level-" + code.replace(".", "-")
    return {
        "criterion": code,
        f"{prefix}-level": level,
        f"{prefix}-note": note,
        f"{prefix}-version": version,
    }


def _jury_level(app, meeting, code: str):
    with app.app_context():
        return db.session.scalar(
            sa.select(JuryLevel).where(
                JuryLevel.application_id == meeting.application_id,
                JuryLevel.criterion_code == code,
            )
        )


def test_the_rounded_mean_is_saved_without_a_note(app, meeting):
    _all_in(app, meeting)
    office = client_of(app, meeting.office)
    response = office.post(_url(meeting), data=_level_form("A.2", "2"))  # both said 2
    assert response.status_code == 302
    saved = _jury_level(app, meeting, "A.2")
    assert (saved.level, saved.note, saved.version) == (2, "", 1)
    [details] = audit_details(app, "consensus.level_saved")
    assert details["criterion"] == "A.2" and details["old"] is None and details["new"] == "Stufe 2"


def test_a_different_level_needs_a_note(app, meeting):
    _all_in(app, meeting)
    office = client_of(app, meeting.office)
    response = office.post(_url(meeting), data=_level_form("A.1", "1"))
    assert response.status_code == 200
    assert "Bitte begründen Sie, warum die Jury vom gerundeten Mittelwert abweicht." in text_of(
        response
    )
    # the page opens at the row (#row-A.1): the reason stands there too, not only at the top
    row = response.text.split('id="row-A.1"', 1)[1].split("<h3", 1)[0]
    assert "Die Stufe für A.1 ist nicht gespeichert." in row and "Bitte begründen Sie" in row
    assert _jury_level(app, meeting, "A.1") is None
    assert "consensus.level_saved" not in actions(app)

    response = office.post(_url(meeting), data=_level_form("A.1", "1", "Konzept ist veraltet"))
    assert response.status_code == 302
    saved = _jury_level(app, meeting, "A.1")
    assert (saved.level, saved.note) == (1, "Konzept ist veraltet")

    response = office.post(_url(meeting), data=_level_form("A.1", "3", "Doch gut", "1"))
    assert response.status_code == 302
    details = audit_details(app, "consensus.level_saved")[-1]
    assert (details["old"], details["new"], details["note"]) == ("Stufe 1", "Stufe 3", "Doch gut")
    assert "Stufe 3" in text_of(office.get(_url(meeting)))


def test_a_stale_form_is_refused_with_what_was_typed_kept(app, meeting):
    _all_in(app, meeting)
    office = client_of(app, meeting.office)
    first = _level_form("A.1", "2", "Einig nach Besuch")
    assert office.post(_url(meeting), data=first).status_code == 302
    colleague = client_of(app, meeting.office)
    response = colleague.post(_url(meeting), data=_level_form("A.1", "1", "Mein Grund", ""))
    text = text_of(response)
    assert response.status_code == 200
    assert "Jemand anderes hat die Stufe für A.1 inzwischen gespeichert: Stufe 2." in text
    assert "Mein Grund" in response.get_data(as_text=True)
    assert _jury_level(app, meeting, "A.1").level == 2


@pytest.mark.parametrize("level", ["7", "-1", "zwei", ""])
def test_levels_outside_the_scale_change_nothing(app, meeting, level):
    _all_in(app, meeting)
    response = client_of(app, meeting.office).post(
        _url(meeting), data=_level_form("A.1", level, "Grund")
    )
    assert response.status_code == 200
    assert "Fehler:" in response.get_data(as_text=True)
    assert _jury_level(app, meeting, "A.1") is None


def test_codes_not_in_the_catalogue_answer_404(app, meeting):
    _all_in(app, meeting)
    response = client_of(app, meeting.office).post(_url(meeting), data=_level_form("Z.9", "2"))
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(JuryLevel.id))) == 0


def test_no_level_is_saved_before_all_reviews_are_in(app, meeting):
    submit_review(app, meeting.first_assignment_id)
    response = client_of(app, meeting.office).post(_url(meeting), data=_level_form("A.1", "2"))
    assert response.status_code == 200
    assert "Es fehlen noch" in text_of(response)
    assert _jury_level(app, meeting, "A.1") is None


def test_a_reopened_review_closes_the_meeting_until_resubmitted(app, meeting):
    _all_in(app, meeting)
    with app.app_context():
        review = db.session.get(Assignment, meeting.second_assignment_id).review
        review.submitted_at, review.reopened_at = None, utcnow()
        db.session.commit()
    text = text_of(client_of(app, meeting.office).get(_url(meeting)))
    assert "Gutachten wieder geöffnet" in text and "Bernd Brandt" in text
    assert client_of(app, meeting.first).get(_url(meeting)).status_code == 404
    with app.app_context():
        application = db.session.get(Assignment, meeting.first_assignment_id).application
        with pytest.raises(consensus.ConsensusError):
            agreed_levels.save_jury_level(
                application,
                catalogue_of(application),
                "A.1",
                2,
                "",
                None,
                SimpleNamespace(id=None),
            )
        db.session.rollback()
