"""The office exports data: finds the page from its home, gets a date range wrong on a phone
(the error first, what was typed kept), then downloads the audit log as XLSX."""

from __future__ import annotations

from datetime import date

import openpyxl
from playwright.sync_api import Page, expect

from seal_app.audit.services import record
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.rounds.services import create_round
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_error_summary import assert_error_summary_first_and_focused
from tests.e2e.test_office_pages import _log_in_office

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _both_widths(page: Page, name: str) -> None:
    """axe at 1280 and at 390 px, and nothing wider than a phone's screen."""
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways on a phone ({width}px)"


def test_office_exports_the_audit_log_after_a_wrong_range(page: Page, app, accounts, tmp_path):
    with app.app_context():
        round_ = create_round(2027, date(2027, 6, 30), "2026.1", None)
        record("round.created", round_, None, year=2027)
        db.session.commit()
    _log_in_office(page, accounts)
    page.get_by_role("link", name="Daten exportieren (Excel, CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daten exportieren")
    _both_widths(page, "office-exports")

    # On a phone: the last day before the first one.
    section = page.get_by_role("region", name="Protokoll der Änderungen")
    section.get_by_label("Von (Datum)").fill("2026-03-10")
    section.get_by_label("Bis (Datum)").fill("2026-03-09")
    section.get_by_role("button", name="Protokoll exportieren").click()
    assert_error_summary_first_and_focused(page)
    expect(page.locator(".error-summary")).to_contain_text(
        "Der letzte Tag liegt vor dem ersten Tag des Zeitraums."
    )
    expect(section.get_by_label("Von (Datum)")).to_have_value("2026-03-10")
    expect(section.get_by_label("Bis (Datum)")).to_have_value("2026-03-09")
    _both_widths(page, "office-exports-error")

    # Corrected: the whole of today's year (the district's day), as an Excel workbook.
    with app.app_context():
        today = local_today()
    section.get_by_label("Von (Datum)").fill(f"{today.year}-01-01")
    section.get_by_label("Bis (Datum)").fill(today.isoformat())
    section.get_by_label("Format").select_option(label="Excel-Arbeitsmappe (XLSX)")
    with page.expect_download() as download:
        section.get_by_role("button", name="Protokoll exportieren").click()
    assert download.value.suggested_filename == f"protokoll-{today.year}-01-01-bis-{today}.xlsx"
    path = tmp_path / "protokoll.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert [cell.value for cell in sheet[1]][:3] == ["Zeitpunkt", "Wer", "Aktion"]
    assert sheet["C2"].value == "Vergaberunde angelegt"
    assert sheet["A2"].is_date
