"""In the browser: a baked seal picture chosen or dropped on /verify is checked („gültig“, after
revocation „widerrufen“); the school's seal page and the issuer page; axe at 1280 and 390 px."""

from __future__ import annotations

import base64

from playwright.sync_api import Page, expect

from tests.certificates.decision_setup import agree_all, award
from tests.credentials.setup import certificate_of, revoke
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in
from tests.reviews.jury_setup import build_meeting, client_of, submit_review

FILE_LABEL = "Oder das Siegel-Bild mit Nachweis (PNG oder SVG)"


def _awarded(app, make):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    agree_all(app, meeting.application_id)
    award(app, client_of(app, meeting.office), meeting.application_id)
    return meeting


def _drop(page: Page, data: bytes, name: str) -> None:
    """A real drop event with a DataTransfer holding the file, on the drop area."""
    transfer = page.evaluate_handle(
        """([content, name]) => {
            const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "image/png"}));
            return transfer;
        }""",
        [base64.b64encode(data).decode(), name],
    )
    page.dispatch_event("[data-drop-area]", "drop", {"dataTransfer": transfer})


def test_a_dropped_seal_picture_is_checked_in_the_browser(page: Page, app, make, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the office's part, quickly
    meeting = _awarded(app, make)
    certificate = certificate_of(app, meeting)
    png = app.test_client().get(f"/verify/{certificate.number}/siegel.png").data
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    page.goto("/verify")
    expect(page.get_by_role("heading", name="Digitalen Nachweis prüfen")).to_be_visible()
    _both_widths(page, "verify-credential-form")
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": "siegel.png", "mimeType": "image/png", "buffer": png}]
    )
    page.get_by_role("button", name="Nachweis prüfen").click()
    expect(page.get_by_role("heading", name="Ergebnis: gültig")).to_be_visible()
    expect(page.get_by_text(certificate.school_name).first).to_be_visible()
    _both_widths(page, "verify-credential-valid")

    page.goto("/verify")
    _drop(page, png, "siegel.png")
    expect(page.get_by_text("Gewählte Datei: siegel.png")).to_be_visible()
    page.get_by_role("button", name="Nachweis prüfen").click()
    expect(page.get_by_role("heading", name="Ergebnis: gültig")).to_be_visible()

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    revoke(app, meeting, certificate)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page.goto("/verify")
    _drop(page, png, "siegel.png")
    page.get_by_role("button", name="Nachweis prüfen").click()
    expect(page.get_by_role("heading", name="Ergebnis: widerrufen")).to_be_visible()
    _both_widths(page, "verify-credential-revoked")


def test_the_school_sees_its_badge_and_anyone_the_issuer(page: Page, app, make, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    meeting = _awarded(app, make)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    _log_in(page, meeting.staff)
    page.goto(f"/applications/{meeting.application_id}/feedback")
    page.get_by_role("link", name="Das Siegel als digitaler Nachweis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Siegel als digitaler Nachweis")
    image = page.get_by_role("img", name="Gütesiegel „Sicherheit macht Schule“")
    expect(image).to_be_visible()
    image.evaluate("(img) => img.decode()")
    assert image.evaluate("(img) => img.naturalWidth") == 600
    _both_widths(page, "school-seal")
    page.goto("/issuer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Herausgeber der digitalen Nachweise")
    _both_widths(page, "issuer")
