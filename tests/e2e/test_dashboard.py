"""The office opens its dashboard from the home page, reads the chart and the numbers at 1280
and 390 px, and follows a number to the list behind it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.dashboard.dashboard_setup import build
from tests.e2e.test_exports import _both_widths
from tests.e2e.test_visit_and_consensus import _log_in


def test_office_reads_the_dashboard_and_follows_a_number(page: Page, app, make):
    setup = build(app, make)
    _log_in(page, setup.office)
    page.get_by_role("link", name="Kennzahlen der Runde ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kennzahlen der Geschäftsstelle")
    chart = page.get_by_role("img", name="Balkendiagramm: Anträge der Runde nach Status.")
    expect(chart).to_be_visible()
    # decode() waits until the image has arrived and can be shown (or fails if it cannot)
    assert chart.evaluate("image => image.decode().then(() => image.naturalWidth > 0)")
    overdue = page.get_by_role("row", name="Ben Brandt")
    expect(overdue).to_contain_text("1")
    _both_widths(page, "office-dashboard")

    page.get_by_role("link", name="1 Antrag: Nachforderung offen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anträge")
    expect(page.get_by_text("Gefiltert: Status „Nachforderung offen“")).to_be_visible()
    expect(page.get_by_role("link", name="Regionale Schule Heidberg")).to_be_visible()
    expect(page.get_by_role("link", name="Grundschule Am Kamp")).to_have_count(0)
    _both_widths(page, "office-applications-filtered")
