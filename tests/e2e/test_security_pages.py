"""The security log, and refusals after too many attempts that keep what was typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.two_factor import complete_login_in_browser

WIDTHS = {"wide": 1280, "phone": 390}


def _log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)


@pytest.mark.parametrize("size", WIDTHS)
def test_office_reads_the_security_log_by_keyboard(page: Page, accounts, size):
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    _log_in(page, "jemand@example.org", "ganz-falsch")
    _log_in(page, accounts["office"])
    if size == "wide":
        page.get_by_role("link", name="Sicherheitsprotokoll").first.click()
    else:
        page.goto("/office/security-log")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sicherheitsprotokoll")
    table = page.get_by_role("region", name="Sicherheitsprotokoll, Seite 1")
    expect(table).to_contain_text("jemand@example.org")
    expect(table).to_contain_text("Anmeldung fehlgeschlagen")
    table.focus()
    expect(table).to_be_focused()
    page.get_by_label("Ereignis").select_option(label="Anmeldung erfolgreich")
    page.get_by_role("button", name="Anzeigen").click()
    expect(table).not_to_contain_text("jemand@example.org")
    assert_accessible(page, f"security-log-{size}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTHS[size], f"the page scrolls sideways ({width}px)"


def test_a_refused_login_keeps_the_email(page: Page, app, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "1 per 15 minutes")
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, accounts["office"], "ganz-falsch")
    _log_in(page, accounts["office"], "noch-falscher")
    expect(page.get_by_role("heading", name="Zu viele Versuche")).to_be_visible()
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value(accounts["office"])
    assert_accessible(page, "login-refused-phone")


def test_a_refused_access_request_keeps_the_form(page: Page, app, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", "1 per day")
    page.set_viewport_size({"width": 390, "height": 844})
    for email in ("erste@example.org", "zweite@example.org"):
        page.goto("/register")
        page.get_by_label("Schulnummer").fill("75001")
        page.get_by_label("Ihr Name").fill("Nina Neu")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_role("button", name="Zugang beantragen").click()
    expect(page.get_by_role("heading", name="Zu viele Versuche")).to_be_visible()
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value("zweite@example.org")
    expect(page.get_by_label("Ihr Name")).to_have_value("Nina Neu")
    assert_accessible(page, "register-refused-phone")
