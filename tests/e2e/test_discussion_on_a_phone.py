"""In Chromium at 390 px: a comment sent at the end of a long thread is in view afterwards,
with the message that it is saved beside it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.discussion_models import DiscussionComment
from seal_app.reviews.models import Assignment
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_visit_and_consensus import _log_in
from tests.reviews.jury_setup import build_meeting, submit_review

LONG = "Zur Stufe von B.2: " + "Die Auswertung der Fälle fehlt noch. " * 12


def test_the_new_comment_is_in_view_on_a_phone(page: Page, app, make):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    with app.app_context():
        author = db.session.get(Assignment, meeting.first_assignment_id).assessor
        for _number in range(8):  # a thread longer than a phone's screen
            db.session.add(
                DiscussionComment(
                    application_id=meeting.application_id,
                    author_id=author.id,
                    author_role=author.role,
                    body=LONG,
                    created_at=utcnow(),
                )
            )
        db.session.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, meeting.first)
    page.goto(f"/applications/{meeting.application_id}/discussion")
    page.get_by_label("Ihr Beitrag").fill("Mein neuer Beitrag zu C.1.")
    page.get_by_role("button", name="Beitrag senden").click()

    newest = page.locator(".discussion-comment").last
    expect(newest).to_contain_text("Mein neuer Beitrag zu C.1.")
    expect(newest).to_be_in_viewport()
    expect(page.get_by_text("Ihr Beitrag ist gespeichert.")).to_be_in_viewport()
    assert page.url.endswith(f"#{newest.get_attribute('id')}")

    assert_accessible(page, "discussion-saved-390")
