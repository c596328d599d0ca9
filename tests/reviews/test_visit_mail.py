"""A visit planned, moved or cancelled reaches the school's staff and the visiting assessors by
e-mail, through the real queue, each with a calendar entry: METHOD, SEQUENCE, one UID per
visit, the times in Europe/Berlin; nothing twice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from tests.notifications.delivery import (
    DOMAIN,
    attachment,
    calendar_of,
    check_form,
    delivered,
    path_of_link,
    send_everything_again,
    worker,
)
from tests.reviews.jury_setup import build_meeting, client_of

BERLIN = ZoneInfo("Europe/Berlin")
IN_A_WEEK = date.today() + timedelta(days=7)


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def _plan(client, meeting, *assignment_ids, at="09:30", version="", note="Treffpunkt: Aula"):
    response = client.post(
        f"/office/applications/{meeting.application_id}/visit",
        data={
            "on": IN_A_WEEK.isoformat(),
            "at": at,
            "visitors": [str(item) for item in assignment_ids or (meeting.first_assignment_id,)],
            "note": note,
            "version": version,
            "action": "save",
        },
    )
    assert response.status_code == 302
    return response


def _cancel(client, meeting, version: str):
    return client.post(
        f"/office/applications/{meeting.application_id}/visit",
        data={"action": "cancel", "cancel-version": version},
    )


def _at(hours: int, minutes: int) -> datetime:
    return datetime.combine(IN_A_WEEK, time(hours, minutes), tzinfo=BERLIN)


def _by_recipient(mails) -> dict[str, object]:
    return {mail.recipients[0]: mail for mail in mails}


def test_a_planned_visit_reaches_school_and_assessor_with_an_invitation(
    app, meeting, mail_server, tmp_path
):
    office = client_of(app, meeting.office)
    with worker(app, tmp_path):
        _plan(office, meeting)
        mails = _by_recipient(delivered(mail_server, 2))
    assert set(mails) == {meeting.staff, meeting.first}
    day = format_date(IN_A_WEEK, "long", locale="de")
    for address, mail in mails.items():
        assert mail.subject == f"Besuch der Jury am {day}: Grundschule am Wall"
        assert "um 09:30 Uhr" in mail.text and "Treffpunkt: Aula" in mail.text
        check_form(mail, attachments=1)
        assert client_of(app, address).get(path_of_link(mail)).status_code == 200
        part = attachment(mail, "text/calendar")
        assert part.get_param("method") == "REQUEST" and part.get_param("charset") == "utf-8"
        calendar, event = calendar_of(mail)
        assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == _at(9, 30)
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("DTEND") == _at(12, 30)
        assert [item["TZID"] for item in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
        assert str(event["UID"]).startswith("visit-") and str(event["UID"]).endswith(f"@{DOMAIN}")
        assert str(event["LOCATION"]) == "Grundschule am Wall, Schulweg 1, 18273 Güstrow"
        assert str(event["ORGANIZER"]) == f"mailto:{app.config['OFFICE_EMAIL']}"
        assert [str(item) for item in _attendees(event)] == [f"mailto:{address}"]
    assert "Anna Arndt" not in mails[meeting.staff].text  # the school is not told who comes
    send_everything_again(app, mail_server)


def _attendees(event) -> list:
    found = event["ATTENDEE"]
    return found if isinstance(found, list) else [found]


def test_a_visit_moved_twice_has_the_latest_times_and_sequence_2(
    app, meeting, mail_server, tmp_path
):
    office = client_of(app, meeting.office)
    with worker(app, tmp_path):
        _plan(office, meeting)
        _plan(office, meeting, at="11:00", version="1")
        _plan(office, meeting, at="13:15", version="2")
        mails = delivered(mail_server, 6)
    first_uid = str(calendar_of(mails[0])[1]["UID"])
    latest = _by_recipient(
        mail for mail in mails if calendar_of(mail)[1].decoded("DTSTART") == _at(13, 15)
    )
    assert set(latest) == {meeting.staff, meeting.first}
    for address, mail in latest.items():
        assert mail.subject.startswith("Besuch der Jury geändert: Grundschule am Wall, jetzt am ")
        assert "um 13:15 Uhr" in mail.text
        calendar, event = calendar_of(mail)
        assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 2
        assert str(event["UID"]) == first_uid
        assert event.decoded("DTEND") == _at(16, 15)
        check_form(mail, attachments=1)
        assert client_of(app, address).get(path_of_link(mail)).status_code == 200
    send_everything_again(app, mail_server)


def test_a_visit_cancelled_twice_is_told_once(app, meeting, mail_server, tmp_path):
    office = client_of(app, meeting.office)
    with worker(app, tmp_path):
        _plan(office, meeting)
        delivered(mail_server, 2)
        assert _cancel(office, meeting, "1").status_code == 302
        again = _cancel(office, meeting, "1")  # the page still showed the visit
        assert again.status_code == 302
        mails = delivered(mail_server, 4)[2:]
    uid = str(calendar_of(mail_server.received[0])[1]["UID"])
    assert {mail.recipients[0] for mail in mails} == {meeting.staff, meeting.first}
    for mail in mails:
        assert mail.subject == "Besuch der Jury abgesagt: Grundschule am Wall"
        assert attachment(mail, "text/calendar").get_param("method") == "CANCEL"
        calendar, event = calendar_of(mail)
        assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 1 and str(event["UID"]) == uid
        assert event.decoded("DTSTART") == _at(9, 30)
        check_form(mail, attachments=1)
        assert client_of(app, mail.recipients[0]).get(path_of_link(mail)).status_code == 200
    send_everything_again(app, mail_server)


def test_an_assessor_added_or_taken_off_alone_is_told(app, meeting, mail_server, tmp_path):
    office = client_of(app, meeting.office)
    both = (meeting.first_assignment_id, meeting.second_assignment_id)
    with worker(app, tmp_path):
        _plan(office, meeting)
        delivered(mail_server, 2)
        _plan(office, meeting, *both, version="1")
        [added] = delivered(mail_server, 3)[2:]
        _plan(office, meeting, meeting.second_assignment_id, version="2")
        [taken_off] = delivered(mail_server, 4)[3:]
    assert added.recipients == [meeting.second]
    assert added.subject.startswith("Besuch der Jury am ")
    assert calendar_of(added)[1]["SEQUENCE"] == 1
    assert taken_off.recipients == [meeting.first]
    assert taken_off.subject == "Sie nehmen nicht mehr am Besuch bei Grundschule am Wall teil"
    calendar, event = calendar_of(taken_off)
    assert calendar["METHOD"] == "CANCEL" and event["SEQUENCE"] == 2
    assert client_of(app, meeting.first).get(path_of_link(taken_off)).status_code == 200


def test_saving_the_same_plan_again_tells_nobody(app, meeting, mail_server):
    office = client_of(app, meeting.office)
    _plan(office, meeting)
    _plan(office, meeting, version="1")
    assert len(mail_server.received) == 2
