"""In Chromium at 1280 and 390 px: two assessors and the office discuss one application. The
first assessor submits and writes; the second cannot open the thread before submitting (the
404 page) and finds it afterwards; the office answers."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_visit_and_consensus import _both_widths, _log_in, _log_out
from tests.reviews.jury_setup import build_meeting, submit_review
from tests.reviews.submission_setup import score_all


def _submit_in_browser(page: Page, assignment_id: int) -> None:
    page.goto(f"/review/{assignment_id}/submit")
    page.get_by_label("verleihen", exact=True).check()
    page.get_by_label("Zusammenfassung").fill("Die Schule arbeitet überzeugend.")
    page.get_by_label("Zum Abgeben: Ich habe meine Stufen", exact=False).check()
    page.get_by_role("button", name="Gutachten verbindlich abgeben").click()
    expect(page.get_by_text("Ihr Gutachten ist abgegeben. Vielen Dank!")).to_be_visible()


def _write(page: Page, text: str) -> None:
    page.get_by_label("Ihr Beitrag").fill(text)
    page.get_by_role("button", name="Beitrag senden").click()
    expect(page.get_by_text("Ihr Beitrag ist gespeichert.")).to_be_visible()


def test_two_assessors_and_the_office_discuss_an_application(page: Page, app, make):
    meeting = build_meeting(app, make)
    thread = f"/applications/{meeting.application_id}/discussion"

    # The first assessor submits, then finds the discussion on the review's page and writes.
    score_all(app, meeting.first_assignment_id)
    _log_in(page, meeting.first)
    _submit_in_browser(page, meeting.first_assignment_id)
    page.get_by_role("link", name="Diskussion der Jury").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diskussion der Jury")
    expect(page.get_by_text("Noch keine Beiträge.")).to_be_visible()
    _write(page, "B.2: Ich sehe keine Auswertung der Fälle.\nDeshalb Stufe 1.")
    comment = page.locator(".discussion-comment").first
    expect(comment).to_contain_text("Anna Arndt (Gutachter/in)")
    expect(comment).to_contain_text("Deshalb Stufe 1.")
    _log_out(page)

    # The second assessor has not submitted: no link, and the address answers 404.
    _log_in(page, meeting.second)
    expect(page.get_by_role("link", name="Diskussion der Jury")).to_have_count(0)
    answer = page.goto(thread)
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    submit_review(app, meeting.second_assignment_id)
    page.goto("/")
    page.get_by_role("link", name="Diskussion der Jury").click()
    expect(page.locator(".discussion-comment")).to_contain_text("Deshalb Stufe 1.")
    _write(page, "Beim Besuch lag die Auswertung im Ordner.")
    _log_out(page)

    # The office answers; the thread at both widths.
    _log_in(page, meeting.office)
    page.goto(f"/office/applications/{meeting.application_id}")
    page.get_by_role("link", name="Diskussion der Jury").click()
    _write(page, "Wir nehmen B.2 als ersten Punkt in die Sitzung.")
    expect(page.locator(".discussion-comment")).to_have_count(3)
    expect(page.locator(".discussion-comment").last).to_contain_text("Bea Büro (Geschäftsstelle)")
    _both_widths(page, "discussion")
    page.get_by_role("link", name="Bearbeiten").click()
    page.get_by_label("Ihr Beitrag").fill("Wir nehmen B.2 als ersten Punkt in die Jurysitzung.")
    _both_widths(page, "discussion-edit")
    page.get_by_role("button", name="Änderung speichern").click()
    expect(page.locator(".discussion-comment").last).to_contain_text("in die Jurysitzung.")
    expect(page.locator(".discussion-comment").last).to_contain_text("geändert am")
    page.get_by_role("link", name="Zurückziehen").click()
    _both_widths(page, "discussion-withdraw")
    page.get_by_role("button", name="Endgültig zurückziehen").click()
    expect(page.locator(".discussion-comment").last).to_contain_text("Beitrag zurückgezogen")
    expect(page.locator(".discussion-comment")).to_have_count(3)
