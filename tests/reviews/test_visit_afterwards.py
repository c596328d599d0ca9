"""A visit recorded after it took place: plausible days only, nobody invited (no mail, no
calendar entry), protocols at once; a planned visit moved into the past; cancelling refused
once anything was written about the visit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.notifications.models import OutboxMessage
from seal_app.reviews.models import Visit
from tests.conftest import text_of
from tests.reviews.jury_setup import actions, build_meeting, client_of, submit_review
from tests.reviews.visit_record_setup import (
    LAST_WEEK,
    add_to_record,
    record_past_visit,
    write_protocol,
)


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))


def _visit_day(app) -> date:
    with app.app_context():
        starts_at = db.session.scalar(sa.select(Visit.starts_at))
        return starts_at.date()


def test_a_past_visit_is_recorded_without_invitations(app, meeting, mail_server):
    response = record_past_visit(app, meeting)
    assert response.status_code == 302
    assert _visit_day(app) == LAST_WEEK
    assert "visit.recorded" in actions(app) and "visit.planned" not in actions(app)
    assert _outbox(app) == 0  # no mail, no calendar entry for a day gone by
    office_page = text_of(client_of(app, meeting.office).get(response.headers["Location"]))
    assert "Der Besuch hat am" in office_page and "stattgefunden" in office_page

    school = text_of(client_of(app, meeting.staff).get("/"))
    assert "Der Besuch der Jury hat am" in school and "stattgefunden" in school

    first = client_of(app, meeting.first)
    assert write_protocol(first, meeting.first_assignment_id).status_code == 302  # at once
    home = text_of(first.get("/"))
    assert "hat stattgefunden. Protokolle: 1, Ergänzungen: 0, Fotos: 0." in home


def test_a_planned_visit_moved_into_the_past_invites_nobody(app, meeting, mail_server):
    office = client_of(app, meeting.office)
    in_a_week = date.today() + timedelta(days=7)
    record_past_visit(app, meeting, on=in_a_week)  # a real plan: everyone is invited
    invited = _outbox(app)
    assert invited > 0
    response = office.post(
        f"/office/applications/{meeting.application_id}/visit",
        data={
            "on": (date.today() - timedelta(days=2)).isoformat(),
            "at": "08:00",
            "visitors": [str(meeting.first_assignment_id), str(meeting.second_assignment_id)],
            "version": "1",
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert _visit_day(app) == date.today() - timedelta(days=2)
    assert _outbox(app) == invited
    assert "visit.changed" in actions(app)


def test_the_earliest_day_is_two_weeks_before_the_application_arrived(app, meeting):
    too_early = record_past_visit(app, meeting, on=date.today() - timedelta(days=20))
    assert too_early.status_code == 200
    assert "Bitte geben Sie ein Datum zwischen dem" in text_of(too_early)
    assert record_past_visit(app, meeting, on=date.today() - timedelta(days=13)).status_code == 302


def test_a_visit_recorded_by_mistake_is_taken_back_without_mail(app, meeting, mail_server):
    record_past_visit(app, meeting)
    response = client_of(app, meeting.office).post(
        f"/office/applications/{meeting.application_id}/visit",
        data={"action": "cancel", "cancel-version": "1"},
    )
    assert response.status_code == 302
    assert "visit.cancelled" in actions(app) and _outbox(app) == 0


def test_a_visit_with_an_addition_cannot_be_cancelled(app, meeting):
    record_past_visit(app, meeting)
    submit_review(app, meeting.second_assignment_id)
    second = client_of(app, meeting.second)
    assert add_to_record(second, meeting.second_assignment_id, "Nachtrag").status_code == 302
    office = client_of(app, meeting.office)
    page = office.post(
        f"/office/applications/{meeting.application_id}/visit",
        data={"action": "cancel", "cancel-version": "1"},
        follow_redirects=True,
    )
    assert "Er kann nicht mehr abgesagt werden." in text_of(page)
    assert _visit_day(app) == LAST_WEEK


def _title(response) -> str:
    import re

    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)


def test_the_visit_page_is_named_by_the_visits_state(app, meeting):
    office = client_of(app, meeting.office)
    url = f"/office/applications/{meeting.application_id}/visit"
    page = office.get(url)
    assert _title(page).startswith("Besuch vor Ort planen – ")
    assert (
        "Zur Wahl stehen die Gutachtenden dieses Antrags, die ihre Erklärung abgegeben und "
        "keine Befangenheit erklärt haben." in text_of(page)
    )
    record_past_visit(app, meeting, on=date.today() + timedelta(days=14))
    assert _title(office.get(url)).startswith("Besuch vor Ort ändern – ")
    moved = {"on": LAST_WEEK.isoformat(), "at": "09:00", "version": "1", "action": "save"}
    moved["visitors"] = [str(meeting.first_assignment_id)]
    saved = office.get(office.post(url, data=moved).headers["Location"])
    assert _title(saved).startswith("Besuch vor Ort (hat stattgefunden) – ")
    message = text_of(saved)
    assert "Die Gutachtenden können jetzt ihr Protokoll schreiben; wer das Gutachten" in message
    assert "schon abgegeben hat, fügt dem Protokoll Ergänzungen an." in message
