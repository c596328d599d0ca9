"""The office adds a catalogue version in the browser: the list, a refused file, the diff,
the confirmation, and a new round with the new version."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.catalogue.samples import next_version
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_office_pages import _log_in_office, _menu


def _check_at_both_widths(page: Page, name: str) -> None:
    assert_accessible(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_office_adds_a_version_sees_the_diff_and_opens_a_round_with_it(
    page: Page, accounts, tmp_path
):
    broken = tmp_path / "kaputt.yaml"
    broken.write_text('version: "2027.1"\ntitle: [\n', encoding="utf-8")
    good = tmp_path / "2027.1.yaml"
    good.write_text(next_version(), encoding="utf-8")

    _log_in_office(page, accounts)
    _menu(page, "Katalogfassungen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kriterienkatalog – Fassungen")
    expect(page.get_by_role("row", name="2026.1")).to_contain_text("Datei criteria/2026.1.yaml")
    _check_at_both_widths(page, "catalogue-versions")

    page.get_by_role("link", name="Neue Fassung hinzufügen").click()
    page.get_by_label("Katalogdatei (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Prüfen und Änderungen zeigen").click()
    expect(page.locator(".error-summary")).to_contain_text("Kein gültiges YAML")
    assert_accessible(page, "catalogue-version-upload-error")

    page.get_by_label("Katalogdatei (YAML)").set_input_files(str(good))
    page.get_by_role("button", name="Prüfen und Änderungen zeigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fassung 2027.1 prüfen")
    expect(page.locator(".diff-overview")).to_contain_text("1 Kriterium neu")
    expect(page.locator(".diff-added")).to_have_text(
        "B.4 Schutzkonzept gegen sexualisierte Gewalt (Gewichtung 2)"
    )
    expect(page.locator(".diff-removed")).to_contain_text("A.3 Zusammenarbeit mit Polizei")
    expect(page.locator("ins").first).to_have_text("schriftliches, jährlich überprüftes")
    _check_at_both_widths(page, "catalogue-version-diff")

    page.get_by_role("button", name="Fassung 2027.1 hinzufügen").click()
    expect(page.get_by_text("Die Fassung 2027.1 ist hinzugefügt.")).to_be_visible()
    expect(page.get_by_role("row", name="2027.1")).to_contain_text("für neue Runden verfügbar")

    _menu(page, "Vergaberunden").click()
    page.get_by_role("link", name="Vergaberunde eröffnen").click()
    page.get_by_label("Jahr").fill("2028")
    page.get_by_label("Version des Kriterienkatalogs").select_option("2027.1")
    page.get_by_role("button", name="Eröffnen").click()
    expect(page.get_by_text("„Vergaberunde 2028“ ist eröffnet.")).to_be_visible()
    expect(page.get_by_role("row", name="Vergaberunde 2028")).to_contain_text("2027.1")

    _menu(page, "Katalogfassungen").click()
    row = page.get_by_role("row", name="2027.1")
    expect(row).to_contain_text("eingefroren")
    expect(row).to_contain_text("Vergaberunde 2028")
