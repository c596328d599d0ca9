"""In the browser: the office prints all certificates of a round through the task queue and
watches the progress page, which reloads itself without JavaScript until the files are ready;
then downloads the one PDF and the ZIP. axe-core at 1280 and 390 px."""

from __future__ import annotations

import zipfile

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from seal_app.auth.models import Role
from tests.certificates.print_setup import round_with_certificates
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in
from tests.task_queue import real_queue


def test_the_office_prints_a_round_and_watches_the_progress(page: Page, app, make, tmp_path):
    printed = round_with_certificates(app, make, 30)
    office = make.user(Role.OFFICE, "druck@example.org", name="Dora Druck")
    with real_queue(app, tmp_path) as start_worker:
        _log_in(page, office)
        page.goto(f"/office/rounds/{printed.round_id}/decisions")
        _both_widths(page, "round-print")
        page.get_by_role("button", name="Alle 30 Urkunden drucken").click()

        # No worker yet: the job waits, and the page says so and keeps looking.
        expect(page.get_by_role("heading", level=1)).to_have_text("Urkunden drucken")
        expect(page.get_by_text("0 von 30 · wartet auf den Hintergrunddienst")).to_be_visible()
        expect(
            page.get_by_role("link", name="Automatische Aktualisierung anhalten")
        ).to_be_visible()
        _both_widths(page, "print-waiting")

        # The worker starts; the page reloads by itself until the files are ready.
        start_worker()
        expect(page.get_by_text("30 von 30 · fertig")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("status")).to_contain_text("Fertig seit")
        _both_widths(page, "print-done")

        with page.expect_download() as download:
            page.get_by_role("link", name="Eine PDF-Datei zum Drucken").click()
        assert download.value.suggested_filename == "Urkunden-2026.pdf"
        reader = PdfReader(download.value.path())
        assert len(reader.pages) == 30
        assert printed.schools[0] in " ".join(reader.pages[0].extract_text().split())
        with page.expect_download() as download:
            page.get_by_role("link", name="ZIP-Archiv mit einer PDF-Datei je Schule").click()
        assert len(zipfile.ZipFile(download.value.path()).namelist()) == 30

        page.get_by_role("link", name="Zu den Entscheidungen der Runde").click()
        expect(
            page.get_by_role("link", name="Letzter Druck: Urkunden, fertig", exact=False)
        ).to_be_visible()
