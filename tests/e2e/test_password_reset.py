"""In the browser: „Passwort vergessen?“ from the login page, the mail arrives at a real SMTP
server, its link sets a new password, the session in another browser ends, and the link
cannot be used twice; axe-core on every page at 1280 and 390 px."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in

NEW_PASSWORD = "Leuchtturm-Warnemünde-Sanddorn-7"


def test_a_forgotten_password_is_set_anew_by_the_mailed_link(
    page: Page, browser: Browser, live_server, accounts, mail_server
):
    # Logged in elsewhere, on another device.
    other = browser.new_context(base_url=live_server, locale="de-DE")
    elsewhere = other.new_page()
    _log_in(elsewhere, accounts["school"])

    page.goto("/login")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort vergessen")
    _both_widths(page, "password-forgot")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Link schicken").click()  # nothing typed
    expect(page.locator(".error-summary")).to_contain_text(
        "Bitte geben Sie Ihre E-Mail-Adresse ein."
    )
    expect(page.locator(".error-summary")).to_be_focused()
    _both_widths(page, "password-forgot-error")
    page.get_by_label("E-Mail-Adresse").fill(accounts["school"])
    page.get_by_role("button", name="Link schicken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihr Postfach")
    _both_widths(page, "password-reset-requested")

    [mail] = mail_server.wait_for(1)
    assert mail.recipients == [accounts["school"]]
    link = re.search(r"https://\S+/password/set/\S+", mail.text).group(0)
    page.goto(urlparse(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort festlegen")
    _both_widths(page, "password-reset-set")
    page.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Neues Passwort wiederholen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page.get_by_text("Ihr Passwort ist gespeichert.")).to_be_visible()

    # The other device's session has ended; the old password no longer works, the new one does.
    elsewhere.goto("/account/password")
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Anmelden")
    other.close()
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("E-Mail-Adresse oder Passwort sind nicht richtig.")).to_be_visible()
    page.get_by_label("Passwort", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()

    # The link works once only.
    page.goto(urlparse(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieser Link gilt nicht mehr")
    _both_widths(page, "password-reset-used")
