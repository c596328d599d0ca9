"""In the browser: the office plans a visit, an assessor records protocols on a phone, the
office holds the jury's meeting (divergence, chart with its table, proposal, an agreed level)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.reviews.jury_setup import build_meeting, submit_review, visit_day_has_come
from tests.two_factor import complete_login_in_browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()


def _both_widths(page: Page, name: str) -> None:
    assert_accessible(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_visit_protocols_on_a_phone_and_the_meeting(page: Page, app, make):
    meeting = build_meeting(app, make)

    # The office plans the visit: an implausible date is refused first.
    _log_in(page, meeting.office)
    page.goto(f"/office/applications/{meeting.application_id}/visit")
    _both_widths(page, "visit-plan")
    page.get_by_label("Datum des Besuchs").fill("1900-05-04")
    page.get_by_label("Uhrzeit").fill("09:30")
    page.get_by_label("Anna Arndt").check()
    page.get_by_label("Hinweis für die Schule").fill("Treffpunkt: Sekretariat, Haus A")
    page.get_by_role("button", name="Besuch speichern").click()
    expect(page.locator(".error-summary")).to_contain_text("Bitte geben Sie ein Datum zwischen")
    _both_widths(page, "visit-plan-error")
    page.get_by_label("Datum des Besuchs").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Besuch speichern").click()
    expect(page.get_by_text("Der Besuch ist geplant.")).to_be_visible()
    expect(page.locator(".visit-current")).to_contain_text("um 09:30 Uhr")
    _log_out(page)
    visit_day_has_come(app)

    # The visiting assessor records two areas on a phone, on the day of the visit.
    page.set_viewport_size(PHONE)
    _log_in(page, meeting.first)
    page.goto(f"/review/{meeting.first_assignment_id}/visit")
    assert_accessible(page, "visit-protocols-390")
    page.get_by_role("link", name="A. Sicherheitskonzept und Organisation").click()
    page.get_by_label("Was haben Sie gesehen?").fill("Fluchtwegpläne in jedem Flur.")
    page.get_by_label("Mit wem haben Sie gesprochen?").fill("Schülerrat, Hausmeister")
    page.get_by_label("Ihre Feststellungen").fill("Das Krisenteam ist allen bekannt.")
    assert_accessible(page, "visit-protocol-390")
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_text("Das Protokoll zu Bereich A ist gespeichert.")).to_be_visible()
    page.get_by_label("Was haben Sie gesehen?").fill("Streitschlichtung im Pausenraum.")
    page.get_by_label("Mit wem haben Sie gesprochen?").fill("Streitschlichterinnen, Sozialarbeiter")
    page.get_by_label("Ihre Feststellungen").fill("Läuft seit drei Jahren.")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator(".protocol-list")).to_contain_text("protokolliert")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _log_out(page)
    page.set_viewport_size(DESKTOP)

    # Both reviews are in; the office opens the meeting.
    submit_review(app, meeting.first_assignment_id, {"A.1": 1})
    submit_review(app, meeting.second_assignment_id, {"A.1": 3, "C.1": 3})
    _log_in(page, meeting.office)
    page.goto(f"/applications/{meeting.application_id}/consensus")
    row = page.locator("#row-A\\.1")
    expect(row).to_contain_text("Abweichung – bitte besprechen")
    expect(page.get_by_role("img", name="Balkendiagramm")).to_be_visible()
    assert (
        page.locator(".consensus-chart img").evaluate(
            "image => image.decode().then(() => image.naturalWidth)"
        )
        > 0
    ), "the chart loads"
    expect(page.get_by_role("table", name="Mittlere Stufe je Bereich")).to_contain_text("2,25")
    expect(page.locator(".proposal")).to_contain_text("Punkte:")
    expect(page.get_by_text("Fluchtwegpläne in jedem Flur.")).to_be_visible()
    _both_widths(page, "consensus")
    page.locator(".consensus-chart").screenshot(
        path="test-artifacts/screenshots/consensus-chart.png"
    )

    row.get_by_label("Vereinbarte Stufe für A.1").select_option("1")
    row.get_by_role("button", name="Stufe speichern").click()
    expect(page.locator(".error-summary")).to_contain_text("Bitte begründen Sie")
    assert_accessible(page, "consensus-error-1280")
    row = page.locator("#row-A\\.1")
    row.get_by_label("Begründung der Einigung zu A.1").fill("Das Konzept ist sieben Jahre alt.")
    row.get_by_role("button", name="Stufe speichern").click()
    expect(page.get_by_text("Die Stufe für A.1 ist gespeichert.")).to_be_visible()
    expect(page.locator("#row-A\\.1")).to_contain_text("Gespeichert: Stufe 1.")
    expect(page.locator(".proposal")).to_contain_text("A.1")  # a mandatory criterion now short
