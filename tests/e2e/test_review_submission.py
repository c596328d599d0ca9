"""In Chromium at 1280 and 390 px: an assessor asks for more on two criteria, the school
answers one with text and one with a file and resubmits, the assessor sees what changed and
submits the review; the office reopens it with a reason."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seal_app.extensions import db
from seal_app.reviews.models import Assignment
from tests.applications import samples
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_check_and_confirmation import _no_sideways_scroll, _sign_in
from tests.reviews.submission_setup import build_jury, score_all

WIDTHS = (1280, 390)


def _check_widths(page: Page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name}-{width}")
        if width == 390:
            _no_sideways_scroll(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()


def _school_answers(page: Page, application_id: int, tmp_path) -> None:
    page.goto(f"/applications/{application_id}/criteria/A.1")
    page.get_by_role("textbox", name="Ihre Ergänzung").fill(
        "Das Krisenkonzept wurde im März aktualisiert."
    )
    page.get_by_role("button", name="Ergänzung speichern").click()
    page.goto(f"/applications/{application_id}/criteria/C.1")
    document = tmp_path / "Schlichtung-2026.pdf"
    document.write_bytes(samples.pdf("Schlichtung"))
    page.locator("#response-file_1").set_input_files(str(document))
    page.locator("#response-description_1").fill("Ausbildungsnachweise 2026")
    page.get_by_role("button", name="Ergänzung speichern").click()
    page.get_by_role("button", name="Ergänzungen einreichen").click()
    expect(page.get_by_text("Ihre Ergänzungen sind eingereicht.")).to_be_visible()


def test_request_answer_changes_submit_and_reopen(page: Page, app, make, tmp_path):
    jury = build_jury(app, make)
    application_id = jury.application_id

    _sign_in(page, jury.assessor)
    page.goto(f"/applications/{application_id}")
    page.get_by_role("link", name="Nachweise nachfordern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachweise nachfordern")
    page.get_by_label("A.1 Sicherheits- und Krisenkonzept").check()
    page.locator("#criteria-C-1").check()
    page.get_by_label("Was soll die Schule ergänzen?").fill(
        "Bitte reichen Sie das aktuelle Krisenkonzept und die Nachweise zur Schlichtung nach."
    )
    _check_widths(page, "request-more")
    page.get_by_role("button", name="Nachforderung senden").click()
    expect(
        page.get_by_text("Die Nachforderung zu A.1 und C.1 ist an die Schule gesendet")
    ).to_be_visible()
    _sign_out(page)

    _sign_in(page, jury.staff)
    _school_answers(page, application_id, tmp_path)
    _sign_out(page)

    _sign_in(page, jury.assessor)
    page.goto(f"/applications/{application_id}/request-more")
    changes = page.locator(".changes-since-request")
    expect(changes).to_have_count(2)
    expect(changes.first).to_contain_text("Das Krisenkonzept wurde im März aktualisiert.")
    expect(
        changes.nth(1).get_by_role("link", name="Schlichtung-2026.pdf", exact=True)
    ).to_be_visible()
    _check_widths(page, "changes-since-request")

    score_all(app, jury.assignment_id)
    page.goto(f"/review/{jury.assignment_id}/submit")
    page.get_by_label("verleihen", exact=True).check()
    page.get_by_label("Zusammenfassung").fill(
        "Die Schule arbeitet überzeugend an ihrer Sicherheit."
    )
    page.get_by_label("Hinweise für die Schule zu A.", exact=False).first.fill(
        "Üben Sie die Räumung auch im Winter."
    )
    _check_widths(page, "review-form")
    page.get_by_label("Zum Abgeben: Ich habe meine Stufen", exact=False).check()
    page.get_by_role("button", name="Gutachten verbindlich abgeben").click()
    expect(page.get_by_text("Ihr Gutachten ist abgegeben. Vielen Dank!")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Gutachten")
    _check_widths(page, "review-submitted")
    _sign_out(page)

    _sign_in(page, jury.office)
    page.goto(f"/office/reviews/{jury.assignment_id}/reopen")
    _check_widths(page, "review-reopen")
    page.get_by_label("Grund für das erneute Öffnen").fill("Bitte B.1 noch einmal prüfen.")
    page.get_by_role("button", name="Gutachten wieder öffnen").click()
    expect(page.get_by_text("Das Gutachten von Jana Jury ist wieder geöffnet.")).to_be_visible()
    with app.app_context():
        review = db.session.get(Assignment, jury.assignment_id).review
        assert review.submitted_at is None
        assert review.reopen_reason == "Bitte B.1 noch einmal prüfen."
