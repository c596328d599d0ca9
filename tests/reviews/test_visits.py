"""The on-site visit: the office plans, changes and cancels it; the school sees the date; each
visiting assessor records a protocol per area, part of their review."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Review, Visit, VisitProtocol
from tests.conftest import text_of
from tests.reviews.jury_setup import (
    actions,
    assign,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
    visit_day_has_come,
)

IN_A_WEEK = date.today() + timedelta(days=7)


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def _plan_url(meeting) -> str:
    return f"/office/applications/{meeting.application_id}/visit"


def _plan(
    meeting, *assignment_ids, on=IN_A_WEEK, at="09:30", note="Treffpunkt: Sekretariat", version=""
):
    return {
        "on": on.isoformat(),
        "at": at,
        "visitors": [str(item) for item in assignment_ids or (meeting.first_assignment_id,)],
        "note": note,
        "version": version,
        "action": "save",
    }


def _visit(app, meeting) -> Visit | None:
    with app.app_context():
        visit = db.session.scalar(
            sa.select(Visit).where(Visit.application_id == meeting.application_id)
        )
        if visit is not None:
            db.session.expunge(visit)
        return visit


def _participants(app, meeting) -> set[int]:
    with app.app_context():
        visit = db.session.scalar(
            sa.select(Visit).where(Visit.application_id == meeting.application_id)
        )
        return {item.assignment_id for item in visit.participants}


def test_the_office_plans_a_visit_and_the_school_sees_it(app, meeting):
    office = client_of(app, meeting.office)
    assert office.get(_plan_url(meeting)).status_code == 200
    response = office.post(_plan_url(meeting), data=_plan(meeting))
    assert response.status_code == 302
    visit = _visit(app, meeting)
    assert visit.note == "Treffpunkt: Sekretariat"
    assert _participants(app, meeting) == {meeting.first_assignment_id}
    [details] = audit_details(app, "visit.planned")
    assert details["visitors"] == "Anna Arndt" and details["starts_at"].endswith("09:30")

    school = client_of(app, meeting.staff)
    weekday = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
    for page in ("/", f"/applications/{meeting.application_id}"):
        text = text_of(school.get(page))
        assert "Besuch der Jury am" in text and "um 09:30 Uhr" in text, page
        assert weekday[IN_A_WEEK.weekday()] in text
        assert "Treffpunkt: Sekretariat" in text


@pytest.mark.parametrize("day", [date(1900, 5, 4), date(2100, 5, 4)])
def test_an_implausible_date_is_refused_naming_the_range(app, meeting, day):
    office = client_of(app, meeting.office)
    response = office.post(_plan_url(meeting), data=_plan(meeting, on=day, note="Aula"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Bitte geben Sie ein Datum zwischen dem" in text
    assert "frühestens zwei Wochen vor dem Eingang des Antrags" in text
    assert f'value="{day.isoformat()}"' in response.text and "Aula" in text  # kept
    assert _visit(app, meeting) is None
    assert "visit.planned" not in actions(app) and "visit.recorded" not in actions(app)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "", "at": "09:30"}, "Bitte geben Sie das Datum an."),
        ({"on": "kein Datum", "at": "09:30"}, "Dieses Datum gibt es nicht."),
        ({"on": "2026-02-30", "at": "09:30"}, "Dieses Datum gibt es nicht."),
        ({"on": IN_A_WEEK.isoformat(), "at": "25:99"}, "Bitte geben Sie die Uhrzeit an"),
        ({"visitors": []}, "Bitte wählen Sie mindestens eine Gutachterin oder einen Gutachter."),
        ({"visitors": ["abc"]}, "Bitte wählen Sie aus den angebotenen Möglichkeiten."),
    ],
)
def test_bad_plans_are_refused_in_german(app, meeting, data, message):
    response = client_of(app, meeting.office).post(
        _plan_url(meeting), data={**_plan(meeting), **data}
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert _visit(app, meeting) is None


def test_an_empty_plan_names_every_gap_at_once(app, meeting):
    empty = {"on": "", "at": "", "visitors": [], "note": "", "version": "", "action": "save"}
    response = client_of(app, meeting.office).post(_plan_url(meeting), data=empty)
    text = text_of(response)
    assert "Bitte geben Sie das Datum an." in text and "Bitte geben Sie die Uhrzeit an" in text
    assert "Bitte wählen Sie mindestens eine Gutachterin oder einen Gutachter." in text


def test_only_cleared_assessors_of_the_application_may_visit(app, make, meeting):
    with app.app_context():
        other = make.user_id(make.user(Role.ASSESSOR, "befangen@example.org"))
        conflicted = assign(meeting.application_id, other, ConflictState.CONFLICT)
        db.session.commit()
    response = client_of(app, meeting.office).post(
        _plan_url(meeting), data=_plan(meeting, meeting.first_assignment_id, conflicted)
    )
    assert response.status_code == 200
    assert _visit(app, meeting) is None


def test_the_office_changes_and_cancels_the_visit(app, meeting):
    office = client_of(app, meeting.office)
    office.post(_plan_url(meeting), data=_plan(meeting))
    both = (meeting.first_assignment_id, meeting.second_assignment_id)
    response = office.post(_plan_url(meeting), data=_plan(meeting, *both, at="11:00", version="1"))
    assert response.status_code == 302
    assert _participants(app, meeting) == set(both)
    [details] = audit_details(app, "visit.changed")
    assert details["changes"]["visitors"] == {
        "old": "Anna Arndt",
        "new": "Anna Arndt, Bernd Brandt",
    }
    assert set(details["changes"]) == {"starts_at", "visitors"}

    stale = office.post(_plan_url(meeting), data=_plan(meeting, at="12:00", version="1"))
    assert stale.status_code == 200
    assert "Jemand anderes hat den Besuch inzwischen geändert" in text_of(stale)

    response = office.post(_plan_url(meeting), data={"action": "cancel", "cancel-version": "2"})
    assert response.status_code == 302
    assert _visit(app, meeting) is None
    assert "visit.cancelled" in actions(app)
    assert "Besuch der Jury" not in text_of(client_of(app, meeting.staff).get("/"))


def test_an_unchanged_date_may_lie_in_the_past_when_only_the_note_changes(app, meeting):
    """The office may correct the note after the visit took place."""
    client_of(app, meeting.office).post(_plan_url(meeting), data=_plan(meeting))
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        visit.starts_at = (utcnow() - timedelta(days=2)).replace(second=0, microsecond=0)
        db.session.commit()
        local = visit.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    data = _plan(meeting, on=local.date(), at=local.strftime("%H:%M"), note="Neu", version="2")
    response = client_of(app, meeting.office).post(_plan_url(meeting), data=data)
    assert response.status_code == 302
    assert _visit(app, meeting).note == "Neu"


def _protocol_url(assignment_id: int, area: str = "A") -> str:
    return f"/review/{assignment_id}/visit/{area}"


def _protocol(observed="Aushang Fluchtwege", talked_to="Schülerrat, Hausmeister", version=""):
    return {
        "observed": observed,
        "talked_to": talked_to,
        "findings": "Konzept wird gelebt.",
        "version": version,
        "action": "next",
    }


@pytest.fixture
def planned(app, meeting):
    """A visit planned for the first assessor, whose day has come."""
    client_of(app, meeting.office).post(_plan_url(meeting), data=_plan(meeting))
    visit_day_has_come(app)
    return meeting


def test_no_protocol_before_the_visit_day(app, meeting):
    client_of(app, meeting.office).post(_plan_url(meeting), data=_plan(meeting))
    first = client_of(app, meeting.first)
    overview = text_of(first.get(f"/review/{meeting.first_assignment_id}/visit"))
    assert "Das Protokoll schreiben Sie ab dem Tag des Besuchs, dem" in overview
    page = first.get(_protocol_url(meeting.first_assignment_id))
    assert "ab dem Tag des Besuchs" in text_of(page) and "<textarea" not in page.text
    sent = first.post(_protocol_url(meeting.first_assignment_id), data=_protocol())
    assert sent.status_code == 200
    assert "ab dem Tag des Besuchs" in text_of(sent)
    assert "Aushang Fluchtwege" in sent.text  # what was typed is kept
    assert "visit.protocol_saved" not in actions(app)
    visit_day_has_come(app, hours_ago=0)
    saved = first.post(_protocol_url(meeting.first_assignment_id), data=_protocol())
    assert saved.status_code == 302 and "visit.protocol_saved" in actions(app)


def test_a_visiting_assessor_records_protocols_per_area(app, planned):
    first = client_of(app, planned.first)
    overview = first.get(f"/review/{planned.first_assignment_id}/visit")
    assert overview.status_code == 200 and "offen" in text_of(overview)
    response = first.post(_protocol_url(planned.first_assignment_id), data=_protocol())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_protocol_url(planned.first_assignment_id, "B"))
    with app.app_context():
        protocol = db.session.scalar(sa.select(VisitProtocol))
        assert (protocol.area_code, protocol.talked_to) == ("A", "Schülerrat, Hausmeister")
    [details] = audit_details(app, "visit.protocol_saved")
    assert details["area"] == "A" and details["fields"] == ["observed", "talked_to", "findings"]
    assert "protokolliert" in text_of(first.get(f"/review/{planned.first_assignment_id}/visit"))


def test_a_stale_protocol_is_refused_with_the_text_kept(app, planned):
    first = client_of(app, planned.first)
    first.post(_protocol_url(planned.first_assignment_id), data=_protocol())
    response = first.post(
        _protocol_url(planned.first_assignment_id), data=_protocol(observed="Zweite Fassung")
    )
    assert response.status_code == 200
    assert "inzwischen an anderer Stelle gespeichert" in text_of(response)
    assert "Zweite Fassung" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(VisitProtocol.observed)) == "Aushang Fluchtwege"


def test_non_participants_and_others_get_404(app, make, planned):
    second = client_of(app, planned.second)  # cleared, but not visiting
    assert second.get(f"/review/{planned.second_assignment_id}/visit").status_code == 404
    assert (
        second.post(_protocol_url(planned.second_assignment_id), data=_protocol()).status_code
        == 404
    )
    # someone else's assignment
    assert (
        second.post(_protocol_url(planned.first_assignment_id), data=_protocol()).status_code == 404
    )
    assert (
        client_of(app, planned.first)
        .get(_protocol_url(planned.first_assignment_id, "Z"))
        .status_code
        == 404
    )
    office = client_of(app, planned.office)
    assert office.get(_protocol_url(planned.first_assignment_id)).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VisitProtocol.id))) == 0


def test_a_conflict_declared_later_removes_access(app, planned):
    with app.app_context():
        db.session.get(
            Assignment, planned.first_assignment_id
        ).conflict_state = ConflictState.CONFLICT
        db.session.commit()
    first = client_of(app, planned.first)
    assert first.get(_protocol_url(planned.first_assignment_id)).status_code == 404


def test_protocols_are_read_only_after_the_review_is_submitted(app, planned):
    first = client_of(app, planned.first)
    first.post(_protocol_url(planned.first_assignment_id), data=_protocol())
    with app.app_context():
        assignment = db.session.get(Assignment, planned.first_assignment_id)
        assignment.review = Review(submitted_at=utcnow())
        db.session.commit()
    page = first.get(_protocol_url(planned.first_assignment_id))
    assert page.status_code == 200 and "<textarea" not in page.get_data(as_text=True)
    response = first.post(
        _protocol_url(planned.first_assignment_id), data=_protocol(observed="Neu", version="1")
    )
    assert "kann nicht mehr geändert werden" in text_of(response)
    with app.app_context():
        assert db.session.scalar(sa.select(VisitProtocol.observed)) == "Aushang Fluchtwege"


def test_a_visit_with_protocols_cannot_be_cancelled(app, planned):
    client_of(app, planned.first).post(_protocol_url(planned.first_assignment_id), data=_protocol())
    office = client_of(app, planned.office)
    response = office.post(
        _plan_url(planned), data={"action": "cancel", "cancel-version": "1"}, follow_redirects=True
    )
    assert "Er kann nicht mehr abgesagt werden." in text_of(response)
    assert _visit(app, planned) is not None


def test_protocols_are_shown_in_the_meeting(app, planned):
    client_of(app, planned.first).post(_protocol_url(planned.first_assignment_id), data=_protocol())
    submit_review(app, planned.first_assignment_id)
    submit_review(app, planned.second_assignment_id)
    text = text_of(
        client_of(app, planned.office).get(f"/applications/{planned.application_id}/consensus")
    )
    assert "Protokolle des Besuchs" in text
    assert "Schülerrat, Hausmeister" in text and "Anna Arndt" in text


def test_after_the_visit_the_home_page_asks_for_the_protocol(app, planned):
    home = text_of(client_of(app, planned.first).get("/"))
    assert "Protokoll schreiben" in home
    assert "Protokoll schreiben" not in text_of(client_of(app, planned.second).get("/"))
