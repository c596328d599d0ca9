"""A visitor reads the retention periods on the Datenschutzerklärung, at desktop and phone
width, with the values the operator set."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_visitor_reads_the_retention_periods(page: Page, app, monkeypatch, width, height):
    monkeypatch.setitem(app.config, "RETENTION_EVIDENCE_AFTER_SEAL_MONTHS", 24)
    monkeypatch.setitem(app.config, "RETENTION_SECURITY_LOG_DAYS", 30)
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 60)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/datenschutz")
    heading = page.get_by_role("heading", name="Wie lange wir Daten speichern")
    expect(heading).to_be_visible()
    periods = page.locator("ul", has_text="Nachweise (hochgeladene Dateien")
    expect(periods).to_contain_text("bis zwei Jahre nach dem Ende der Gültigkeit des Siegels")
    expect(periods).to_contain_text("jeder Eintrag bis 30 Tage nach der Anmeldung")
    expect(periods).to_contain_text("jede Nachricht bis 60 Tage nach dem Versand")
    assert_accessible(page, f"privacy-retention-{width}")
