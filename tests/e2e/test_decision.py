"""In the browser: after the jury's meeting the office prepares a decision beside the award
rule's proposal (a departure refused without its reason first), releases the round, and the
school reads its result and its written feedback (chart, table, PDF) and downloads its
certificate, whose QR code opens the public verification page ("gültig", the file checked), and
the public list shows the school; axe-core on every page at 1280 and 390 px."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import urlparse

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.certificates.decision_setup import agree_all
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in, _log_out
from tests.reviews.jury_setup import build_meeting, submit_review

RATIONALE = "Die Schule lebt ihr Sicherheitskonzept im Alltag."


def test_the_office_decides_releases_and_the_school_reads_it(page: Page, app, make, tmp_path):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    agree_all(app, meeting.application_id)

    _log_in(page, meeting.office)
    page.goto(f"/applications/{meeting.application_id}/consensus")
    page.get_by_role("link", name="Zur Entscheidung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entscheidung")
    expect(page.locator(".proposal")).to_contain_text("Vorschlag: Siegel verliehen")
    _both_widths(page, "decision")

    # Deferring departs from the proposal: refused without its own reason, nothing lost.
    page.get_by_label("Entscheidung zurückgestellt").check()
    page.get_by_label("Begründung", exact=True).fill(RATIONALE)
    page.get_by_role("button", name="Entscheidung vorbereiten").click()
    expect(page.locator(".error-summary")).to_contain_text("Bitte begründen Sie die Abweichung.")
    expect(page.get_by_label("Begründung", exact=True)).to_have_value(RATIONALE)
    _both_widths(page, "decision-error")

    page.get_by_label("Siegel verliehen (Vorschlag)").check()
    page.get_by_role("button", name="Entscheidung vorbereiten").click()
    expect(page.get_by_text("Die Entscheidung ist vorbereitet.")).to_be_visible()
    page.get_by_role("link", name="Alle Entscheidungen der Runde").click()
    expect(page.get_by_text("1 Entscheidung ist vorbereitet.")).to_be_visible()
    _both_widths(page, "round-decisions")
    page.get_by_label("Ich gebe die vorbereiteten Entscheidungen frei.", exact=False).check()
    page.get_by_role("button", name="Entscheidungen freigeben").click()
    expect(page.get_by_text("1 Entscheidung ist freigegeben.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("freigegeben am")
    _both_widths(page, "round-decisions-released")
    _log_out(page)

    _log_in(page, meeting.staff)
    page.goto(f"/applications/{meeting.application_id}")
    result = page.locator(".decision-result")
    expect(result).to_contain_text("Siegel verliehen")
    expect(result).to_contain_text(RATIONALE)
    _both_widths(page, "school-decision")
    result.get_by_role("link", name="Rückmeldung der Jury lesen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rückmeldung der Jury")
    expect(page.get_by_role("img", name="Balkendiagramm")).to_be_visible()
    assert (
        page.locator(".consensus-chart img").evaluate(
            "image => image.decode().then(() => image.naturalWidth)"
        )
        > 0
    )
    expect(page.get_by_role("table", name="Mittlere vereinbarte Stufe je Bereich")).to_contain_text(
        "2,00"
    )
    _both_widths(page, "school-feedback")
    with page.expect_download() as download:
        page.get_by_role("link", name="Rückmeldung als PDF herunterladen").click()
    assert download.value.suggested_filename.startswith("Rueckmeldung-75001-")

    # The certificate: downloaded, its QR code opens the public verification page.
    page.goto(f"/applications/{meeting.application_id}")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Urkunde Nr. ")).click()
    folder = tmp_path / "urkunde"
    folder.mkdir()
    download.value.save_as(folder / "urkunde.pdf")
    subprocess.run(["pdftoppm", "-r", "200", "-png", "urkunde.pdf", "page"], cwd=folder, check=True)
    [picture] = list(folder.glob("page*.png"))
    [address] = [item.text for item in zxingcpp.read_barcodes(Image.open(picture))]
    _log_out(page)
    page.goto(urlparse(address).path)
    expect(page.locator(".certificate-state")).to_contain_text("Die Urkunde ist gültig.")
    _both_widths(page, "verify")
    page.get_by_label("Urkunde als PDF").set_input_files(folder / "urkunde.pdf")
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.locator(".file-result")).to_contain_text("unverändert und mit gültiger Signatur")
    _both_widths(page, "verify-file")
    page.get_by_role("link", name="Alle Schulen mit gültigem Siegel").click()
    expect(page.get_by_role("table")).to_contain_text("Grundschule am Wall")
    _both_widths(page, "sealed-schools")
