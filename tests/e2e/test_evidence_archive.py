"""In the browser: an assessor downloads all evidence as one ZIP from the scoring page; a
large archive is made by the task queue while its progress page (axe-core at 1280 and 390 px)
reloads itself until the download is there."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.applications.archive_setup import Archived, build_archived
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in
from tests.task_queue import real_queue

FOLDERS = {
    "A.1 Sicherheits- und Krisenkonzept",
    "A.2 Notfall- und Räumungspläne, Übungen",
    "B.1 Programme zur Gewaltprävention",
    "Voten und Zustimmungen",
}


@pytest.fixture
def archived(app, make) -> Archived:
    """Built before the browser's page turns CSRF on (the school's forms are sent without)."""
    return build_archived(app, make)


def _folders(path) -> set[str]:
    names = zipfile.ZipFile(path).namelist()
    return {name.split("/")[0] for name in names if "/" in name}


def test_an_assessor_downloads_all_evidence_from_the_scoring_page(archived, page: Page):
    scoring = archived.scoring
    _log_in(page, scoring.assessor)
    page.goto(f"/review/{scoring.assignment_id}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle Nachweise als ZIP herunterladen").click()
    assert download.value.suggested_filename.endswith("-75001-Grundschule-am-Wall.zip")
    path = download.value.path()
    assert _folders(path) == FOLDERS
    assert "Inhalt.txt" in zipfile.ZipFile(path).namelist()


def test_a_large_archive_shows_its_progress(archived, page: Page, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EVIDENCE_ZIP_DIRECT_MAX_FILES", 3)
    scoring = archived.scoring
    with real_queue(app, tmp_path) as start_worker:
        _log_in(page, scoring.assessor)
        page.goto(f"/review/{scoring.assignment_id}")
        page.get_by_role("link", name="Alle Nachweise als ZIP herunterladen").click()
        expect(page.get_by_text("Der Antrag hat 12 Dateien")).to_be_visible()
        _both_widths(page, "evidence-archive-ask")
        page.get_by_role("button", name="ZIP-Archiv erstellen lassen").click()

        # No worker yet: the archive waits, and the page says so and keeps looking.
        expect(page.get_by_role("status")).to_have_text(
            "0 von 12 Dateien · wartet auf den Hintergrunddienst"
        )
        expect(
            page.get_by_role("link", name="Automatische Aktualisierung anhalten")
        ).to_be_visible()
        _both_widths(page, "evidence-archive-waiting")

        start_worker()
        expect(page.get_by_role("status")).to_have_text(
            "12 von 12 Dateien · fertig", timeout=30_000
        )
        _both_widths(page, "evidence-archive-done")
        with page.expect_download() as download:
            page.get_by_role("link", name="ZIP-Archiv herunterladen").click()
        assert _folders(download.value.path()) == FOLDERS
