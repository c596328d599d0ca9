"""Each role logs in, lands on its home page and logs out; the public pages render."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.two_factor import complete_login_in_browser

HOME_HEADINGS = {
    "school": "Willkommen, Erika Mustermann",
    "assessor": "Willkommen, Erika Mustermann",
    "office": "Übersicht der Geschäftsstelle",
}


def _log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)


@pytest.mark.parametrize("role", ["school", "assessor", "office"])
def test_role_logs_in_lands_home_and_logs_out(page: Page, accounts, role):
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    assert_accessible(page, "login")
    _log_in(page, accounts[role])
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[role])
    assert_accessible(page, f"home-{role}")
    if role == "school":
        expect(page.get_by_role("heading", name="Grundschule am Wall")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Sie haben sich abgemeldet.")).to_be_visible()


def test_wrong_password_shows_the_german_message(page: Page, accounts):
    _log_in(page, accounts["office"], "ganz-falsch")
    expect(page.get_by_role("alert")).to_contain_text(
        "E-Mail-Adresse oder Passwort sind nicht richtig."
    )
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value(accounts["office"])
    assert_accessible(page, "login-failed")


def test_empty_login_lists_errors_at_the_top_linked_to_the_fields(page: Page, accounts):
    page.goto("/login")
    page.get_by_role("button", name="Anmelden").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Bitte geben Sie Ihre E-Mail-Adresse ein.")
    summary.get_by_role("link", name=re.compile("E-Mail-Adresse")).click()
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()
    assert_accessible(page, "login-empty")


def test_public_catalogue_page(page: Page):
    page.goto("/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kriterienkatalog")
    expect(page.get_by_role("heading", name="C.1 Schülerstreitschlichtung")).to_be_visible()
    assert_accessible(page, "catalogue")


def test_public_pages_at_phone_width(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        ("/", "welcome-phone"),
        ("/register", "register-phone"),
        ("/catalogue/", "catalogue-phone"),
    ):
        page.goto(path)
        assert_accessible(page, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"


def test_keyboard_user_reaches_the_content_by_skip_link(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#content$"))
