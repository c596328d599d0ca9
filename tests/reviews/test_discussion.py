"""The jury's discussion: who sees the thread when (independence), the rules for writing,
correcting and withdrawing comments, escaping, the audit log."""

from __future__ import annotations

import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import ConflictState
from tests.conftest import text_of
from tests.reviews.discussion_setup import post_comment, stored, thread_url, written_earlier
from tests.reviews.jury_setup import (
    actions,
    assign,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def _edit(client, meeting, comment_id: int, body: str, version: int = 1):
    return client.post(
        f"{thread_url(meeting.application_id)}/{comment_id}/edit",
        data={"body": body, "version": str(version)},
    )


def _withdraw(client, meeting, comment_id: int, version: int):
    return client.post(
        f"{thread_url(meeting.application_id)}/{comment_id}/withdraw",
        data={"version": str(version)},
    )


def _pages_of_assessor(client, meeting) -> list[str]:
    paths = ["/", f"/review/{meeting.first_assignment_id}"]
    paths.append(f"/applications/{meeting.application_id}/consensus")
    return [client.get(path).get_data(as_text=True) for path in paths]


# --- who sees the thread ----------------------------------------------------------------------


def test_an_assessor_sees_the_thread_only_after_submitting_and_no_page_links_before(app, meeting):
    office = client_of(app, meeting.office)
    assert post_comment(office, meeting.application_id, "Bitte B.2 ansehen.").status_code == 303
    first = client_of(app, meeting.first)
    assert first.get(thread_url(meeting.application_id)).status_code == 404
    assert post_comment(first, meeting.application_id, "Vorab").status_code == 404
    assert len(stored(app)) == 1
    for page in _pages_of_assessor(first, meeting):
        assert "/discussion" not in page and "Diskussion der Jury" not in page

    submit_review(app, meeting.first_assignment_id)
    page = first.get(thread_url(meeting.application_id))
    assert page.status_code == 200
    assert "Bitte B.2 ansehen." in text_of(page)
    home = first.get("/")
    assert thread_url(meeting.application_id) in home.get_data(as_text=True)
    assert "Diskussion der Jury – Grundschule am Wall (1 Beitrag)" in text_of(home)
    overview = first.get(f"/review/{meeting.first_assignment_id}")
    assert thread_url(meeting.application_id) in overview.get_data(as_text=True)
    # the other assessor has not submitted: still nothing for them
    second = client_of(app, meeting.second)
    assert second.get(thread_url(meeting.application_id)).status_code == 404
    assert "/discussion" not in second.get("/").get_data(as_text=True)


def test_the_school_and_assessors_not_cleared_never_see_the_thread(app, make, meeting):
    submit_review(app, meeting.first_assignment_id)
    post_comment(client_of(app, meeting.first), meeting.application_id, "Unter uns")
    conflicted = make.user(Role.ASSESSOR, "befangen@example.org", name="Carla Conrad")
    make.user(Role.ASSESSOR, "fremd@example.org", name="Dora Dahl")
    with app.app_context():
        assign(meeting.application_id, make.user_id(conflicted), ConflictState.CONFLICT)
        db.session.commit()
    comment_id = stored(app)[0].id
    for email in (meeting.staff, conflicted, "fremd@example.org"):
        client = client_of(app, email)
        assert client.get(thread_url(meeting.application_id)).status_code == 404
        assert post_comment(client, meeting.application_id, "Ich auch").status_code == 404
        assert client.get(f"{thread_url(meeting.application_id)}/{comment_id}/edit").status_code
        assert "/discussion" not in client.get("/").get_data(as_text=True)
    assert [item.body for item in stored(app)] == ["Unter uns"]
    school = client_of(app, meeting.staff)
    overview = school.get(f"/applications/{meeting.application_id}")
    assert "Unter uns" not in overview.get_data(as_text=True)


def test_the_office_reads_and_writes_and_after_the_decision_only_reads(app, meeting):
    office = client_of(app, meeting.office)
    page = office.get(f"/office/applications/{meeting.application_id}")
    assert "Diskussion der Jury – Grundschule am Wall (0 Beiträge)" in text_of(page)
    post_comment(office, meeting.application_id, "Termin der Sitzung: Dienstag")
    assert "Diskussion der Jury – Grundschule am Wall (1 Beitrag)" in text_of(
        office.get(f"/office/applications/{meeting.application_id}")
    )
    with app.app_context():
        application = db.session.get(Application, meeting.application_id)
        application.status, application.decided_at = ApplicationStatus.AWARDED, utcnow()
        db.session.commit()
    answer = post_comment(office, meeting.application_id, "Noch etwas")
    assert answer.status_code == 200
    assert "Die Diskussion kann nur noch gelesen werden." in text_of(answer)
    assert [item.body for item in stored(app)] == ["Termin der Sitzung: Dienstag"]
    page = office.get(thread_url(meeting.application_id))
    assert "Termin der Sitzung: Dienstag" in text_of(page)
    assert "Beitrag senden" not in text_of(page)


# --- writing -----------------------------------------------------------------------------------


def test_a_comment_is_plain_text_escaped_with_its_line_breaks_author_role_and_time(app, meeting):
    submit_review(app, meeting.first_assignment_id)
    first = client_of(app, meeting.first)
    body = "<script>alert('x')</script>\n{{ 7 * 7 }} **fett**\nZeile drei"
    answer = post_comment(first, meeting.application_id, body)
    assert answer.status_code == 303
    assert answer.location.endswith(f"/discussion#comment-{stored(app)[0].id}")
    page = first.get(thread_url(meeting.application_id)).get_data(as_text=True)
    assert "<script>alert" not in page
    assert str(escape(body)) in page
    assert "{{ 7 * 7 }} **fett**" in text_of(first.get(thread_url(meeting.application_id)))
    assert "<strong>fett</strong>" not in page
    comment = stored(app)[0]
    assert comment.body == body
    local = comment.created_at.astimezone(ZoneInfo("Europe/Berlin"))
    text = text_of(first.get(thread_url(meeting.application_id)))
    assert "Anna Arndt (Gutachter/in) · " in text
    assert f"{local:%H:%M} Uhr" in text
    office = client_of(app, meeting.office)
    post_comment(office, meeting.application_id, "Danke")
    assert "Bea Büro (Geschäftsstelle)" in text_of(office.get(thread_url(meeting.application_id)))


def test_empty_and_too_long_comments_are_refused_and_the_text_stays(app, meeting):
    office = client_of(app, meeting.office)
    empty = post_comment(office, meeting.application_id, "  \n ")
    assert empty.status_code == 200
    assert "Bitte schreiben Sie Ihren Beitrag." in text_of(empty)
    long_text = "Sehr lang. " * 455 + "x"  # 5 006 characters
    too_long = post_comment(office, meeting.application_id, long_text)
    assert too_long.status_code == 200
    assert "Der Text ist 6 Zeichen zu lang (höchstens 5.000 Zeichen)." in text_of(too_long)
    assert str(escape(long_text)) in too_long.get_data(as_text=True)
    huge = post_comment(office, meeting.application_id, "x" * 500_000)
    assert huge.status_code == 200 and "Zeichen zu lang" in text_of(huge)
    assert stored(app) == []
    assert post_comment(office, meeting.application_id, "y" * 5000).status_code == 303
    assert len(stored(app)) == 1


# --- correcting and withdrawing ------------------------------------------------------------


def test_the_author_corrects_within_15_minutes_and_the_log_keeps_a_hash(app, meeting):
    submit_review(app, meeting.first_assignment_id)
    first = client_of(app, meeting.first)
    post_comment(first, meeting.application_id, "B.2 passt nicht")
    cid = stored(app)[0].id
    page = first.get(thread_url(meeting.application_id))
    assert "Bearbeiten" in text_of(page) and "Zurückziehen" in text_of(page)
    answer = _edit(first, meeting, cid, "B.2 passt nicht zu den Nachweisen")
    assert answer.status_code == 303
    assert stored(app)[0].body == "B.2 passt nicht zu den Nachweisen"
    assert "geändert am" in text_of(first.get(thread_url(meeting.application_id)))
    [details] = audit_details(app, "discussion.comment_edited")
    assert details["old_sha256"] == hashlib.sha256(b"B.2 passt nicht").hexdigest()
    assert details["old_length"] == 15 and details["length"] == 33
    assert "B.2 passt nicht" not in str(details)
    # a form from before the correction is stale: refused, the text kept
    stale = _edit(first, meeting, cid, "Alte Fassung", version=1)
    assert stale.status_code == 200
    assert "inzwischen an anderer Stelle geändert" in text_of(stale)
    assert "Alte Fassung" in stale.get_data(as_text=True)


def test_after_15_minutes_an_edit_is_refused_with_the_text_kept(app, meeting):
    office = client_of(app, meeting.office)
    post_comment(office, meeting.application_id, "Erste Fassung")
    cid = stored(app)[0].id
    written_earlier(app, cid, minutes=16)
    assert "Bearbeiten" not in text_of(office.get(thread_url(meeting.application_id)))
    answer = _edit(office, meeting, cid, "Zweite Fassung")
    assert answer.status_code == 200
    assert "nur in den ersten 15 Minuten geändert werden" in text_of(answer)
    assert "Zweite Fassung" in answer.get_data(as_text=True)
    assert stored(app)[0].body == "Erste Fassung"
    assert "discussion.comment_edited" not in actions(app)


def test_nobody_changes_another_persons_comment(app, meeting):
    for assignment_id in (meeting.first_assignment_id, meeting.second_assignment_id):
        submit_review(app, assignment_id)
    post_comment(client_of(app, meeting.first), meeting.application_id, "Meins")
    cid = stored(app)[0].id
    for email in (meeting.second, meeting.office):
        client = client_of(app, email)
        assert _edit(client, meeting, cid, "Fremd").status_code == 404
        assert _withdraw(client, meeting, cid, 1).status_code == 404
        assert client.get(f"{thread_url(meeting.application_id)}/{cid}/edit").status_code == 404
        assert "Bearbeiten" not in text_of(client.get(thread_url(meeting.application_id)))
    assert stored(app)[0].body == "Meins" and stored(app)[0].withdrawn_at is None


def test_a_withdrawn_comment_stays_in_place_without_its_text_for_good(app, meeting):
    submit_review(app, meeting.first_assignment_id)
    first = client_of(app, meeting.first)
    post_comment(first, meeting.application_id, "Das war voreilig")
    cid = stored(app)[0].id
    written_earlier(app, cid, minutes=30)
    confirm = first.get(f"{thread_url(meeting.application_id)}/{cid}/withdraw")
    assert "Endgültig zurückziehen" in text_of(confirm)
    assert _withdraw(first, meeting, cid, 1).status_code == 303
    comment = stored(app)[0]
    assert comment.withdrawn_at is not None and comment.body == ""
    text = text_of(first.get(thread_url(meeting.application_id)))
    assert "Beitrag zurückgezogen am" in text and "Anna Arndt (Gutachter/in)" in text
    assert "Das war voreilig" not in text and "Zurückziehen" not in text
    again = _withdraw(first, meeting, cid, 2)
    assert "bereits zurückgezogen" in text_of(again)
    written_earlier(app, cid, minutes=-25)  # within the 15 minutes again: still final
    edit = _edit(first, meeting, cid, "Doch wieder", version=2)
    assert edit.status_code == 200
    assert "zurückgezogen und kann nicht geändert werden" in text_of(edit)
    assert stored(app)[0].body == ""
    assert actions(app)[-2:] == ["discussion.comment_added", "discussion.comment_withdrawn"]
    [details] = audit_details(app, "discussion.comment_withdrawn")
    assert details["old_sha256"] == hashlib.sha256(b"Das war voreilig").hexdigest()
    [added] = audit_details(app, "discussion.comment_added")
    assert added["application_id"] == meeting.application_id and added["length"] == 16


def test_the_audit_log_of_the_application_shows_the_discussion(app, meeting):
    office = client_of(app, meeting.office)
    post_comment(office, meeting.application_id, "Notiz")
    cid = stored(app)[0].id
    _edit(office, meeting, cid, "Notiz, ergänzt")
    _withdraw(office, meeting, cid, 2)
    page = text_of(office.get(f"/office/applications/{meeting.application_id}"))
    for label in ("geschrieben", "geändert", "zurückgezogen"):
        assert f"Beitrag zur Diskussion der Jury {label}" in page
    assert "Notiz, ergänzt" not in page


def test_a_comment_sent_with_an_expired_form_comes_back_and_is_saved_later(
    app, meeting, monkeypatch
):
    """The kept drafts of every form: the comment's text is not lost when the form's token no
    longer fits, and the kept copy goes once the comment is saved."""
    office = client_of(app, meeting.office)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    path = thread_url(meeting.application_id)
    page = office.get(path).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    token = re.search(r'name="draft_token" value="([^"]+)"', page).group(1)
    typed = "Ein langer Gedanke zu B.2"

    sent = office.post(path, data={"body": typed, "csrf_token": "falsch", "draft_token": token})

    assert sent.status_code == 303 and sent.headers["Location"] == path
    again = office.get(path)
    assert typed in again.get_data(as_text=True) and stored(app) == []
    assert 'id="draft-notice">' in again.get_data(as_text=True)  # „Ihre Eingaben sind wieder da“
    saved = office.post(path, data={"body": typed, "csrf_token": csrf, "draft_token": token})
    assert saved.status_code == 303 and [item.body for item in stored(app)] == [typed]
    assert 'id="draft-notice">' not in office.get(path).get_data(as_text=True)
