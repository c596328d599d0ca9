"""The office imports the seals of the paper era in the browser: upload, preview, import."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seal_app.local_time import local_today
from tests.certificates.paper_setup import csv_bytes, forty_rows
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_office_pages import _log_in_office


def test_office_uploads_previews_and_imports_paper_seals(page: Page, app, accounts, tmp_path):
    with app.app_context():
        rows, good = forty_rows(local_today())
    path = tmp_path / "urkunden.csv"
    path.write_bytes(csv_bytes(rows))
    _log_in_office(page, accounts)
    page.get_by_role(
        "link", name="Urkunden aus der Zeit vor dem Online-Verfahren importieren"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("vor dem Online-Verfahren")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"paper-seals-upload-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.locator(".kern-form-input")).to_contain_text("Bitte wählen Sie eine CSV-Datei aus.")
    page.get_by_label("CSV-Datei mit den Urkunden").set_input_files(str(path))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschau des Imports")
    expect(page.locator(".import-summary")).to_contain_text("37 Urkunden werden importiert")
    refused = page.locator(".refused-rows li")
    expect(refused).to_have_count(3)
    expect(refused.nth(0)).to_contain_text(
        "„31.02.2015“ in der Spalte „Verliehen am“ ist kein Datum"
    )
    expect(refused.nth(1)).to_contain_text("Die Spalte „Urkunde“ ist leer.")
    expect(refused.nth(2)).to_contain_text("liegt vor „Verliehen am“")
    expect(page.locator(".accepted-rows tbody tr")).to_have_count(37)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"paper-seals-preview-{width}")
    valid_until = page.locator(".accepted-rows tbody tr").first.locator("td").last
    label = valid_until.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Gültig bis: "'  # on a phone: a block of labelled lines
    box = valid_until.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # nothing to scroll sideways
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnis des Imports")
    expect(page.locator(".import-summary")).to_contain_text(
        "37 Urkunden importiert. 3 Zeilen abgelehnt"
    )
    expect(page.locator(".refused-rows li")).to_have_count(3)
    expect(page.locator(".imported-rows tbody tr")).to_have_count(37)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"paper-seals-result-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/siegelschulen")
    table = page.locator("table")
    expect(table).to_contain_text("Grundschule Papierweg 0")
    expect(table).to_contain_text("ausgestellt vor Einführung des Online-Verfahrens")
    expect(table).not_to_contain_text("Grundschule Papierweg 4\n")
    page.get_by_role("link", name="Grundschule Papierweg 10").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urkunde Nr. GS-2013/10")
    expect(page.locator(".paper-era")).to_contain_text(
        "ausgestellt vor Einführung des Online-Verfahrens"
    )
    assert good[0] == "GS-2013/00"
