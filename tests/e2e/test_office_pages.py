"""The office works through its pages in the browser: forms, errors, lists, a password link."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.two_factor import complete_login_in_browser


def _log_in_office(page: Page, accounts) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(accounts["office"])
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, accounts["office"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht der Geschäftsstelle")


def _menu(page: Page, name: str):
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    return navigation.get_by_role("link", name=name, exact=True)


def test_office_creates_a_school_after_fixing_an_error(page: Page, accounts):
    _log_in_office(page, accounts)
    _menu(page, "Schulen").click()
    assert_accessible(page, "office-schools")
    page.get_by_role("link", name="Schule anlegen").click()
    page.get_by_label("Schulnummer").fill("75200")
    page.get_by_label("Name der Schule").fill("Grundschule Am Markt")
    page.get_by_label("Schulart").select_option(label="Grundschule")
    page.get_by_label("Straße und Hausnummer").fill("Markt 1")
    page.get_by_label("Postleitzahl").fill("182")
    page.get_by_label("Ort").fill("Schwaan")
    page.get_by_label("Schulträger").fill("Stadt Schwaan")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".error-summary")).to_contain_text("Die Postleitzahl hat 5 Ziffern.")
    expect(page.get_by_label("Name der Schule")).to_have_value("Grundschule Am Markt")
    assert_accessible(page, "office-school-form-error")
    page.get_by_label("Postleitzahl").fill("18258")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grundschule Am Markt")
    expect(page.get_by_text("Markt 1, 18258 Schwaan")).to_be_visible()
    assert_accessible(page, "office-school-show")


def test_office_invites_an_assessor_and_the_link_works(page: Page, accounts, browser, live_server):
    _log_in_office(page, accounts)
    _menu(page, "Benutzer").click()
    assert_accessible(page, "office-users")
    page.get_by_role("link", name="Benutzer anlegen").click()
    page.get_by_label("E-Mail-Adresse").fill("jury@example.org")
    page.get_by_label("Name", exact=True).fill("Jana Jury")
    page.get_by_label("Rolle", exact=True).select_option(label="Gutachter/in")
    page.get_by_role("button", name="Anlegen und Link erzeugen").click()
    link = page.locator("#password-link").inner_text()
    assert_accessible(page, "office-link-issued")
    path = re.sub(r"^https?://[^/]+", "", link)

    invited = browser.new_context(base_url=live_server, locale="de-DE").new_page()
    invited.goto(path)
    invited.get_by_label("Neues Passwort", exact=True).fill("Sturmmöwe-Dünengras-2027")
    invited.get_by_label("Neues Passwort wiederholen").fill("Sturmmöwe-Dünengras-2027")
    invited.get_by_role("button", name="Passwort speichern").click()
    expect(invited.get_by_label("E-Mail-Adresse")).to_have_value("jury@example.org")
    invited.get_by_label("Passwort").fill("Sturmmöwe-Dünengras-2027")
    invited.get_by_role("button", name="Anmelden").click()
    # a new assessor account sets its second factor up before anything else
    expect(invited.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    secret = invited.locator(".totp-secret code").inner_text().replace(" ", "")
    invited.get_by_label("Code aus der App zur Bestätigung").fill(pyotp.TOTP(secret).now())
    invited.get_by_role("button", name="App einrichten").click()
    expect(invited.get_by_role("heading", level=1)).to_have_text("Ihre Wiederherstellungscodes")
    invited.get_by_role("link", name="Ich habe die Codes gesichert – weiter").click()
    expect(invited.get_by_role("heading", level=1)).to_have_text("Willkommen, Jana Jury")
    invited.context.close()


def test_other_office_pages_are_accessible(page: Page, accounts):
    _log_in_office(page, accounts)
    for link, name in (
        ("Zugangsanfragen", "office-access-requests"),
        ("Vergaberunden", "office-rounds"),
        ("Protokoll", "office-audit"),
        ("Anmeldung und Sicherheit", "account-security"),
    ):
        _menu(page, link).click()
        assert_accessible(page, name)
    page.get_by_role("link", name="Passwort ändern").click()
    assert_accessible(page, "change-password")
    page.goto("/office/rounds/new")
    assert_accessible(page, "office-round-new")
    page.goto("/office/schools/import")
    assert_accessible(page, "office-import")
