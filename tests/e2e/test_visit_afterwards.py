"""In the browser: the office records a visit that took place last week, the visiting assessor
writes and submits, the second assessor (submitted) adds to the protocol with a photo, whose
thumbnail shows; the protocol page with additions and photos at 1280 and 390 px."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_visit_and_consensus import DESKTOP, PHONE, _log_in, _log_out
from tests.reviews.jury_setup import build_meeting, submit_review
from tests.reviews.test_visit_photos import photo_with_location


def test_a_visit_recorded_afterwards_and_its_protocol_extended(page: Page, app, make, tmp_path):
    meeting = build_meeting(app, make)
    last_week = date.today() - timedelta(days=7)

    _log_in(page, meeting.office)
    page.goto(f"/office/applications/{meeting.application_id}/visit")
    page.get_by_label("Datum des Besuchs").fill(last_week.isoformat())
    page.get_by_label("Uhrzeit").fill("10:00")
    page.get_by_label("Anna Arndt").check()
    page.get_by_role("button", name="Besuch speichern").click()
    expect(page.get_by_text("Der Besuch ist eingetragen.")).to_be_visible()
    expect(page.locator(".visit-current")).to_contain_text("stattgefunden")
    assert_accessible(page, "visit-recorded-1280")
    _log_out(page)

    # The visiting assessor writes the protocol at once, then submits the review.
    _log_in(page, meeting.first)
    page.goto(f"/review/{meeting.first_assignment_id}/visit/A")
    page.get_by_label("Was haben Sie gesehen?").fill("Fluchtwegpläne in jedem Flur.")
    page.get_by_label("Ihre Feststellungen").fill("Das Krisenteam ist allen bekannt.")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_text("Das Protokoll zu Bereich A ist gespeichert.")).to_be_visible()
    _log_out(page)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)

    # The second assessor (submitted, not visiting) adds a text and a photo.
    photo = tmp_path / "flur.jpg"
    photo.write_bytes(photo_with_location())
    _log_in(page, meeting.second)
    expect(page.locator(".visit-state")).to_contain_text("hat stattgefunden")
    page.get_by_role("link", name="Besuchsprotokoll lesen und ergänzen").click()
    expect(page.get_by_text("Fluchtwegpläne in jedem Flur.")).to_be_visible()
    page.get_by_label("Wozu gehört Ihre Ergänzung?").select_option("A")
    page.get_by_label("Ihre Ergänzung", exact=True).fill("Die Pläne hängen auch in der Turnhalle.")
    page.get_by_label("Foto – optional").set_input_files(str(photo))
    page.get_by_label("Was zeigt das Foto?").fill("Fluchtwegplan in der Turnhalle")
    page.get_by_role("button", name="Ergänzung anfügen").click()
    expect(page.get_by_text("Ihre Ergänzung ist dem Protokoll angefügt.")).to_be_visible()

    section = page.locator(".visit-record-section", has_text="Fluchtwegpläne in jedem Flur.")
    expect(section).to_contain_text("Ergänzt von Bernd Brandt")
    expect(section).to_contain_text("Die Pläne hängen auch in der Turnhalle.")
    thumbnail = section.get_by_role("img", name="Fluchtwegplan in der Turnhalle")
    expect(thumbnail).to_be_visible()
    width = thumbnail.evaluate("image => image.decode().then(() => image.naturalWidth)")
    assert 0 < width <= 320, "the server's thumbnail loads"
    assert_accessible(page, "visit-record-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "visit-record-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "visit-record-390-viewport.png"))
    page.set_viewport_size(DESKTOP)
