"""New comments in the jury's discussion reach the other participants by e-mail once per batch:
several comments within a few minutes make one message per recipient, a later comment another;
nobody hears of their own comment, nobody is told twice, and no comment text leaves the app."""

from __future__ import annotations

from datetime import timedelta

import pytest

from seal_app.db_types import utcnow
from seal_app.notifications.discussion_messages import NOTICE_DELAY, announce_due
from tests.notifications.delivery import check_form, path_of_link, send_everything_again
from tests.reviews.discussion_setup import post_comment, stored, written_earlier
from tests.reviews.jury_setup import build_meeting, client_of, submit_review

OFFICE_ADDRESS = "praevention@landkreis-rostock.de"  # the default OFFICE_EMAIL


@pytest.fixture
def meeting(app, make, mail_server):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    mail_server.received.clear()
    assert app.config["OFFICE_EMAIL"] == OFFICE_ADDRESS
    return meeting


def _announce(app, after: timedelta) -> int:
    with app.app_context():
        return announce_due(utcnow() + after)


def _by_recipient(inbox) -> dict[str, list]:
    mails: dict[str, list] = {}
    for mail in inbox.received:
        for address in mail.recipients:
            mails.setdefault(address, []).append(mail)
    return mails


def test_three_comments_within_minutes_make_one_message_per_recipient(app, meeting, mail_server):
    first = client_of(app, meeting.first)
    for number, minutes_ago in ((1, 4), (2, 3), (3, 1)):
        post_comment(first, meeting.application_id, f"Geheime Einschätzung {number}")
        written_earlier(app, stored(app)[-1].id, minutes_ago)
    assert _announce(app, timedelta()) == 0  # the first one waited only 4 minutes
    assert mail_server.received == []
    assert _announce(app, timedelta(minutes=1, seconds=1)) == 1
    mails = _by_recipient(mail_server)
    assert set(mails) == {meeting.second, OFFICE_ADDRESS}  # not the author
    assert all(len(items) == 1 for items in mails.values())
    [to_second] = mails[meeting.second]
    assert to_second.subject == "Neue Beiträge in der Diskussion der Jury: Grundschule am Wall"
    assert "Guten Tag Bernd Brandt," in to_second.text
    assert "gibt es 3 neue Beiträge" in to_second.text
    assert to_second.text.count("Anna Arndt (Gutachter/in)") == 3
    for mail in (to_second, *mails[OFFICE_ADDRESS]):
        assert "Geheime Einschätzung" not in mail.text and "Geheime" not in mail.html
        check_form(mail)
    assert path_of_link(to_second) == f"/applications/{meeting.application_id}/discussion"
    page = client_of(app, meeting.second).get(path_of_link(to_second))
    assert page.status_code == 200
    assert _announce(app, timedelta(minutes=30)) == 0  # nothing twice
    send_everything_again(app, mail_server)
    assert len(mail_server.received) == 2


def test_a_later_comment_makes_another_message_and_the_office_is_not_told_of_its_own(
    app, meeting, mail_server
):
    post_comment(client_of(app, meeting.first), meeting.application_id, "Erster Gedanke")
    _announce(app, NOTICE_DELAY)
    assert len(mail_server.received) == 2
    office = client_of(app, meeting.office)
    post_comment(office, meeting.application_id, "Antwort der Geschäftsstelle")
    assert _announce(app, timedelta(minutes=2)) == 0
    assert _announce(app, NOTICE_DELAY) == 1
    later = mail_server.received[2:]
    assert sorted(address for mail in later for address in mail.recipients) == sorted(
        [meeting.first, meeting.second]
    )
    assert all("gibt es einen neuen Beitrag" in mail.text for mail in later)
    assert all("Bea Büro (Geschäftsstelle)" in mail.text for mail in later)


def test_only_assessors_who_may_read_the_thread_hear_of_it(app, make, mail_server):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)  # the second has not submitted
    mail_server.received.clear()
    post_comment(client_of(app, meeting.office), meeting.application_id, "Bitte B.2 ansehen")
    _announce(app, NOTICE_DELAY)
    assert [mail.recipients for mail in mail_server.received] == [[meeting.first]]


def test_a_comment_withdrawn_before_the_notice_is_not_announced(app, meeting, mail_server):
    first = client_of(app, meeting.first)
    post_comment(first, meeting.application_id, "Versehentlich")
    comment_id = stored(app)[0].id
    first.post(
        f"/applications/{meeting.application_id}/discussion/{comment_id}/withdraw",
        data={"version": "1"},
    )
    assert _announce(app, NOTICE_DELAY) == 1
    assert mail_server.received == []
    assert stored(app)[0].announced_at is not None
