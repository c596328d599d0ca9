"""The office's review pages as people read them: reassigning when nobody is left, the jury
meeting's wording, weights and means, adopting every proposal at once, and the audit log in
German."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.applications.services import catalogue_of
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    JuryLevel,
    Score,
    Visit,
    VisitProtocol,
)
from tests.conftest import login, text_of
from tests.reviews.assignment_setup import add_assignment, build_round
from tests.reviews.jury_setup import (
    actions,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)

NOBODY_LEFT = "Keine weitere Gutachterin und kein weiterer Gutachter ohne Befangenheit verfügbar."

# --- 1. reassigning when nobody is left -----------------------------------------------------------


@pytest.fixture
def short_round(app, make):
    """Two assessors; at the first school Anna declared a conflict and Ben is assigned."""
    setup = build_round(app, make, assessors=("Anna Arndt", "Ben Brandt"))
    first = setup.application_ids[0]
    add_assignment(app, first, setup.assessor_ids["Anna Arndt"], ConflictState.CONFLICT)
    add_assignment(app, first, setup.assessor_ids["Ben Brandt"], ConflictState.NONE)
    return setup


def _office_client(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _assign_action(application_id: int) -> str:
    return f'action="/office/applications/{application_id}/assignments"'


def test_round_page_says_nobody_is_left_instead_of_an_empty_form(app, short_round):
    first, second, _third = short_round.application_ids
    page = _office_client(app, short_round.office).get(
        f"/office/rounds/{short_round.round_id}/assignments"
    )
    html, text = page.get_data(as_text=True), text_of(page)
    assert f'href="#application-{first}-assessor"' in html  # „neu zuweisen“ …
    assert re.search(rf'id="application-{first}-assessor"[^>]*tabindex="-1"', html)  # … lands here
    assert text.count(NOBODY_LEFT) == 1
    assert 'href="/office/users/new"' in html
    assert _assign_action(first) not in html
    assert _assign_action(second) in html  # the others still have both assessors to choose


def test_application_page_says_nobody_is_left_instead_of_an_empty_form(app, short_round):
    first, second, _third = short_round.application_ids
    office = _office_client(app, short_round.office)
    page = office.get(f"/office/applications/{first}")
    html = page.get_data(as_text=True)
    assert NOBODY_LEFT in text_of(page)
    assert 'href="/office/users/new"' in html and _assign_action(first) not in html
    other = office.get(f"/office/applications/{second}")
    assert NOBODY_LEFT not in text_of(other) and _assign_action(second) in other.get_data(
        as_text=True
    )


# --- 2. the jury meeting ------------------------------------------------------------------------


@pytest.fixture
def meeting(app, make):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id, {"A.1": 1, "B.1": 3})
    submit_review(app, meeting.second_assignment_id, {"A.1": 2, "B.1": 3})
    return meeting


def _url(meeting) -> str:
    return f"/applications/{meeting.application_id}/consensus"


def _criteria(app, meeting) -> list:
    with app.app_context():
        application = db.session.get(Assignment, meeting.first_assignment_id).application
        return list(catalogue_of(application).criteria)


def _levels(app, meeting) -> dict[str, tuple[int, int]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(JuryLevel).where(JuryLevel.application_id == meeting.application_id)
        )
        return {row.criterion_code: (row.level, row.version) for row in rows}


def _level_form(code: str, level: str, note: str = "", version: str = "") -> dict:
    prefix = "level-" + code.replace(".", "-")
    return {
        "criterion": code,
        f"{prefix}-level": level,
        f"{prefix}-note": note,
        f"{prefix}-version": version,
    }


def test_before_agreement_the_proposal_speaks_of_the_rounded_means(app, meeting):
    text = text_of(client_of(app, meeting.office).get(_url(meeting)))
    total = len(_criteria(app, meeting))
    assert "Mit den vorgeschlagenen Stufen (gerundete Mittelwerte) ist die Vergaberegel" in text
    assert "Mit den vereinbarten Stufen" not in text
    assert f"0 von {total} Stufen sind vereinbart" in text


def test_each_criterion_shows_its_weight_and_points(app, meeting):
    criteria = {item.code: item for item in _criteria(app, meeting)}
    text = text_of(client_of(app, meeting.office).get(_url(meeting)))
    assert "Stufe × Gewichtung" in text
    weight = criteria["B.1"].weight  # both said 3
    assert f"Gewichtung {weight}: Stufe 3 × {weight} = {3 * weight} Punkte" in text
    weight = criteria["A.1"].weight  # 1 and 2: mean 1,50, rounded half up to 2
    assert f"Gewichtung {weight}: Stufe 2 × {weight} = {2 * weight} Punkte" in text


def test_every_mean_has_two_decimals(app, meeting):
    office = client_of(app, meeting.office)
    text = text_of(office.get(_url(meeting)))
    assert "1,50" in text and "3,00" in text and "2,00" in text  # A.1, B.1, the others
    assert not re.search(r"\b\d,\d\b(?!\d)", text.replace("1,50", "").replace("3,00", ""))
    chart = office.get(_url(meeting) + "/chart.svg").get_data(as_text=True)
    assert ">2,33<" in chart  # area B: 3, 2, 2
    assert ">1,83<" in chart  # area A: 1,5, 2, 2


def test_adopting_every_proposal_takes_the_rounded_means_in_one_post(app, meeting):
    office = client_of(app, meeting.office)
    codes = [item.code for item in _criteria(app, meeting)]
    office.post(_url(meeting), data=_level_form("B.1", "2", note="Vor Ort schwächer."))
    page = office.get(_url(meeting))
    assert "Alle Vorschläge übernehmen" in text_of(page)
    assert 'name="code" value="B.1"' not in page.get_data(as_text=True)
    offered = [code for code in codes if code != "B.1"]
    response = office.post(_url(meeting), data={"action": "adopt", "code": offered})
    assert response.status_code == 302
    levels = _levels(app, meeting)
    assert len(levels) == len(codes)
    assert levels["A.1"] == (2, 1) and levels["B.1"] == (2, 1) and levels["A.2"] == (2, 1)
    [details] = audit_details(app, "consensus.levels_adopted")
    assert details["count"] == len(offered)
    text = text_of(office.get(_url(meeting)))
    assert "Mit den vereinbarten Stufen ist die Vergaberegel" in text
    assert "Alle Vorschläge übernehmen" not in text and "gerundete Mittelwerte)" not in text
    log = text_of(office.get(f"/office/applications/{meeting.application_id}"))
    assert "Gerundete Mittelwerte als vereinbarte Stufen übernommen" in log
    assert f"Anzahl: {len(offered)}" in log


def test_adopting_is_refused_when_someone_saved_in_between(app, meeting):
    office = client_of(app, meeting.office)
    codes = [item.code for item in _criteria(app, meeting)]
    office.post(_url(meeting), data=_level_form("A.1", "2"))  # saved after the page was shown
    response = office.post(
        _url(meeting), data={"action": "adopt", "code": codes}, follow_redirects=True
    )
    assert "Es wurde nichts übernommen" in text_of(response)
    assert list(_levels(app, meeting)) == ["A.1"]
    assert "consensus.levels_adopted" not in actions(app)


def test_saving_an_unchanged_level_again_writes_no_entry(app, meeting):
    office = client_of(app, meeting.office)
    office.post(_url(meeting), data=_level_form("A.1", "3", note="Vor Ort überzeugend."))
    office.post(
        _url(meeting), data=_level_form("A.1", "3", note="Vor Ort überzeugend.", version="1")
    )
    assert actions(app).count("consensus.level_saved") == 1
    assert _levels(app, meeting)["A.1"] == (3, 1)
    office.post(_url(meeting), data=_level_form("A.1", "2", version="1"))
    assert actions(app).count("consensus.level_saved") == 2
    assert _levels(app, meeting)["A.1"] == (2, 2)


# --- 3. the audit log in German ------------------------------------------------------------------


def _log_the_review_objects(app, meeting) -> dict[str, int]:
    """One entry about a score, a review, an agreed level, a visit and a protocol."""
    with app.app_context():
        assignment = db.session.get(Assignment, meeting.first_assignment_id)
        actor = db.session.get(User, assignment.assessor_id)
        score = db.session.scalar(
            sa.select(Score).where(
                Score.assignment_id == assignment.id, Score.criterion_code == "C.1"
            )
        )
        visit = Visit(application_id=meeting.application_id, starts_at=utcnow() + timedelta(days=3))
        db.session.add(visit)
        db.session.flush()
        protocol = VisitProtocol(visit_id=visit.id, assignment_id=assignment.id, area_code="A")
        level = JuryLevel(application_id=meeting.application_id, criterion_code="C.1", level=2)
        db.session.add_all([protocol, level])
        details = {"application_id": meeting.application_id}
        record("score.saved", score, actor, criterion="C.1", **details)
        record("review.submitted", assignment.review, actor, **details)
        record("consensus.level_saved", level, actor, mean=1.5, criterion="C.1", **details)
        record("visit.planned", visit, actor, **details)
        record("visit.protocol_saved", protocol, actor, area="A", **details)
        db.session.commit()
        return {"score": score.id, "visit": visit.id}


def test_the_log_names_review_objects_in_german_with_links(app, meeting):
    ids = _log_the_review_objects(app, meeting)
    office = client_of(app, meeting.office)
    office_page = f'href="/office/applications/{meeting.application_id}"'
    for url in (f"/office/applications/{meeting.application_id}", "/office/audit/"):
        page = office.get(url)
        html, text = page.get_data(as_text=True), text_of(page)
        assert "Bewertung zu C.1 (Anna Arndt)" in text
        assert "Gutachten von Anna Arndt" in text
        assert "Vereinbarte Stufe zu C.1" in text
        assert "Besuch vor Ort am" in text
        assert "Besuchsprotokoll Bereich A (Anna Arndt)" in text
        assert "Mittelwert der Gutachten: 1,50" in text
        assert f"{office_page}>Bewertung zu C.1" in html
        assert f"{office_page}>Besuchsprotokoll Bereich A" in html
        for internal in (
            "scores Nr.",
            "reviews Nr.",
            "jury_levels",
            "visits Nr.",
            "visit_protocols",
        ):
            assert internal not in text
    with app.app_context():
        db.session.delete(db.session.get(Score, ids["score"]))
        db.session.commit()
    text = text_of(office.get("/office/audit/"))
    assert "Bewertung (entfernt)" in text


def test_other_decimal_details_use_a_decimal_comma(app, meeting):
    with app.app_context():
        assignment = db.session.get(Assignment, meeting.first_assignment_id)
        record("review.saved", assignment.review, None, share=2.5, year=2026)
        db.session.commit()
    text = text_of(client_of(app, meeting.office).get("/office/audit/"))
    assert "share: 2,5" in text and "2.5" not in text
    assert "2026" in text


# --- 4. counts in German grammar ---------------------------------------------------------------


def test_office_home_counts_one_and_many(app, make):
    setup = build_round(app, make, schools=("Grundschule am Wall",), assessors=("Anna Arndt",))
    office = _office_client(app, setup.office)
    text = text_of(office.get("/"))
    assert "1 eingereichter Antrag" in text and "1 erfasste Schule " in text
    assert "eingereichte Anträge" not in text
    make.school(number="75999", name="Zweite Schule")
    school_id = make.school(number="75998", name="Dritte Schule")
    with app.app_context():
        round_id = db.session.get(Application, setup.application_ids[0]).round_id
        db.session.add(
            Application(
                school_id=school_id,
                round_id=round_id,
                kind=ApplicationKind.FIRST,
                status=ApplicationStatus.SUBMITTED,
                submitted_at=utcnow(),
            )
        )
        db.session.commit()
    text = text_of(office.get("/"))
    assert "2 eingereichte Anträge" in text and "3 erfasste Schulen" in text
