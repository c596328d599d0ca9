"""In Chromium, on a shared computer and on a second device: drafts of the person logged in
before (whose login ended without logging out) are gone from the browser once another person
logs in; text kept by the server fills the form on every reload, is copied into the browser,
and „Eingaben verwerfen“ removes it everywhere; the warning says when the login has ended."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from seal_app.auth.models import UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews import scoring
from seal_app.reviews.models import Assignment, Score
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_kept_drafts import NOTICE, Pages, _end_login, _log_in, pages  # noqa: F401

DRAFT_KEYS = "Object.keys(localStorage).filter(k => k.startsWith('seal-draft:'))"


def test_the_next_person_on_a_shared_computer_finds_no_drafts(pages: Pages, page: Page):  # noqa: F811
    page.goto("/login")
    _log_in(page, pages.staff)
    page.goto(pages.criterion)
    page.locator("textarea[name=measures]").fill("Vertraulich: nur für die Schulleitung.")
    page.wait_for_timeout(1200)  # the browser writes its copy a moment after typing
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    page.context.clear_cookies()  # the login ended without logging out (browser closed)

    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    assert len(page.evaluate(DRAFT_KEYS)) == 1  # kept here: the same person may log in again
    _log_in(page, pages.assessor)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.wait_for_load_state()
    assert page.evaluate(DRAFT_KEYS) == []


def test_the_servers_copy_survives_reloads_until_discarded(app, pages: Pages, page: Page):  # noqa: F811
    typed = "Auf dem Tablet getippt, auf dem Laptop wiedergefunden."
    page.goto("/login")
    _log_in(page, pages.staff)
    page.goto(pages.criterion)
    page.locator("textarea[name=measures]").fill(typed)
    _end_login(app, page, "ended on the server")
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.evaluate("localStorage.clear()")  # the second device has no browser copy
    _log_in(page, pages.staff)
    page.wait_for_url(f"**{pages.criterion}")
    expect(page.locator("textarea[name=measures]")).to_have_value(typed)
    page.wait_for_load_state()
    assert len(page.evaluate(DRAFT_KEYS)) == 1  # copied into this browser

    page.goto("/")
    kept = page.get_by_role("region", name="Sie haben nicht gespeicherte Eingaben:")
    expect(kept.get_by_role("link", name="Kriterium A.1")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "kept-forms-home-390")
    kept.get_by_role("link", name="Kriterium A.1").click()

    page.reload()
    expect(page.locator("textarea[name=measures]")).to_have_value(typed)
    notice = page.get_by_role("status").filter(has_text=NOTICE)
    expect(notice).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "kept-draft-discard-390.png"))
    assert_accessible(page, "kept-draft-discard-390")
    notice.get_by_role("button", name="Eingaben verwerfen").click()

    expect(page.get_by_text("Ihre Eingaben wurden verworfen.")).to_be_visible()
    expect(page.get_by_role("heading", name=NOTICE)).to_be_hidden()
    expect(page.locator("textarea[name=measures]")).not_to_have_value(typed)
    page.wait_for_load_state()
    assert page.evaluate(DRAFT_KEYS) == []
    page.reload()
    expect(page.locator("textarea[name=measures]")).not_to_have_value(typed)


def test_the_warning_says_when_the_login_has_ended(app, pages: Pages, page: Page):  # noqa: F811
    page.goto("/login")
    _log_in(page, pages.assessor)
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(expires_at=utcnow() + timedelta(seconds=3))
        )
        db.session.commit()
    page.goto(pages.review)
    ended = page.get_by_role("alertdialog", name="Ihre Anmeldung ist beendet")
    expect(ended).to_be_visible(timeout=15_000)
    expect(ended).to_contain_text(
        "Speichern Sie wie gewohnt – Sie werden zur Anmeldung geführt und finden Ihre Eingaben "
        "danach wieder im Formular."
    )
    expect(ended.get_by_text("Ihre Anmeldung endet bald")).to_be_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "session-ended-390")


def test_text_restored_by_the_browser_can_be_discarded(pages: Pages, page: Page):  # noqa: F811
    typed = "Nur im Browser, nie gespeichert."
    page.goto("/login")
    _log_in(page, pages.assessor)
    page.goto(pages.review)
    page.get_by_label("Kommentar").fill(typed)
    page.wait_for_timeout(1200)  # the browser writes its copy a moment after typing
    page.goto("/")
    page.goto(pages.review)
    expect(page.get_by_label("Kommentar")).to_have_value(typed)
    notice = page.get_by_role("status").filter(has_text=NOTICE)
    notice.get_by_role("button", name="Eingaben verwerfen").click()
    expect(page.get_by_text("Ihre Eingaben wurden verworfen.")).to_be_visible()
    expect(page.get_by_label("Kommentar")).not_to_have_value(typed)
    page.wait_for_load_state()
    assert page.evaluate(DRAFT_KEYS) == []


def test_text_typed_before_a_save_elsewhere_is_not_saved_over_it(app, pages: Pages, page: Page):  # noqa: F811
    """The browser's copy keeps the version it was typed on: put back after the same form was
    saved in another window, its save is refused as stale and both texts are shown."""
    typed = "Im ersten Fenster getippt, nie gespeichert."
    page.goto("/login")
    _log_in(page, pages.assessor)
    page.goto(pages.review)
    page.locator("input[name=level]").first.check()
    page.get_by_label("Kommentar").fill(typed)
    page.wait_for_timeout(1200)  # the browser writes its copy a moment after typing
    page.goto("/")
    assignment_id = int(pages.review.split("/")[2])
    with app.app_context():  # meanwhile the same person saves the criterion in another window
        assignment = db.session.get(Assignment, assignment_id)
        values = scoring.ScoreInput(level=2, comment="Im zweiten Fenster gespeichert.")
        scoring.save_score(assignment, "A.1", values, None, assignment.assessor)
        db.session.commit()

    page.goto(pages.review)
    expect(page.get_by_label("Kommentar")).to_have_value(typed)
    expect(page.get_by_role("heading", name=NOTICE)).to_be_visible()
    page.get_by_role("button", name="Speichern", exact=True).click()
    stale = "Diese Bewertung wurde inzwischen in einem anderen Fenster gespeichert"
    expect(page.get_by_role("heading", name=stale)).to_be_visible()
    expect(page.get_by_text("Im zweiten Fenster gespeichert.").first).to_be_visible()
    with app.app_context():
        score = db.session.scalar(sa.select(Score).where(Score.assignment_id == assignment_id))
        assert score.comment == "Im zweiten Fenster gespeichert."  # not overwritten
