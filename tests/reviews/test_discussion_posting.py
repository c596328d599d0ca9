"""Posting to the jury's discussion: the same form sent twice stores one comment; hidden
direction and control characters are refused in German; the page after saving says so beside
the comment and focuses it."""

from __future__ import annotations

import pytest

from tests.conftest import text_of
from tests.reviews.discussion_setup import stored, thread_url
from tests.reviews.jury_setup import build_meeting, client_of


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def test_the_same_form_sent_twice_stores_one_comment(app, meeting):
    office = client_of(app, meeting.office)
    page = office.get(thread_url(meeting.application_id)).get_data(as_text=True)
    assert 'name="nonce"' in page
    form = {"body": "Bitte bis Freitag lesen.", "nonce": "einmal-1234567890"}
    first = office.post(thread_url(meeting.application_id), data=form)
    second = office.post(thread_url(meeting.application_id), data=form)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location and "#comment-" in first.location
    assert [item.body for item in stored(app)] == ["Bitte bis Freitag lesen."]
    other = {"body": "Bitte bis Freitag lesen.", "nonce": "einmal-0987654321"}
    assert office.post(thread_url(meeting.application_id), data=other).status_code == 303
    assert len(stored(app)) == 2  # the same words in a new form are a new comment


@pytest.mark.parametrize(
    "hidden", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\x07"], ids=repr
)
def test_hidden_direction_and_control_characters_are_refused(app, meeting, hidden):
    office = client_of(app, meeting.office)
    typed = f"Stufe 3 für B.2{hidden} – siehe Protokoll.\nZweite Zeile."
    sent = office.post(thread_url(meeting.application_id), data={"body": typed})
    assert sent.status_code == 200
    assert "Ihr Beitrag enthält unsichtbare Steuerzeichen" in text_of(sent)
    assert "Zweite Zeile." in sent.get_data(as_text=True)  # what was typed stays
    assert stored(app) == []


def test_line_breaks_and_tabs_are_fine(app, meeting):
    office = client_of(app, meeting.office)
    sent = office.post(thread_url(meeting.application_id), data={"body": "Eins\r\n\tZwei"})
    assert sent.status_code == 303
    assert [item.body for item in stored(app)] == ["Eins\n\tZwei"]


def test_the_saved_comment_carries_the_message_and_the_focus(app, meeting):
    office = client_of(app, meeting.office)
    sent = office.post(thread_url(meeting.application_id), data={"body": "Neu."})
    anchor = sent.location.rsplit("#", 1)[1]
    html = office.get(sent.location).get_data(as_text=True)
    item = html.split(f'id="{anchor}"', 1)[1].split("</li>", 1)[0]
    assert 'tabindex="-1" autofocus' in item and "Ihr Beitrag ist gespeichert." in item
    again = office.get(thread_url(meeting.application_id)).get_data(as_text=True)
    assert "Ihr Beitrag ist gespeichert." not in again and "autofocus" not in again
