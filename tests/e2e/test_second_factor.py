"""The second factor in Chromium: setting up the app, logging in with a code (computed with
pyotp), recovery codes, the account's pages; passkeys with Chromium's virtual authenticator.
Every new page is checked with axe at 1280 and 390 px."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from seal_app.auth.models import Role, UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.two_factor import code_for

WIDTHS = (1280, 390)


def _accessible_at_both_widths(page: Page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name}-{width}")
        sideways = page.evaluate("document.documentElement.scrollWidth")
        assert sideways <= max(width, 390), f"{name} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _password(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")


def test_a_new_office_account_sets_up_its_app_and_logs_in_with_codes(
    page: Page, app, make, accounts
):
    email = make.user(Role.OFFICE, "neu@example.org", second_factor=False)
    _password(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    expect(
        page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App")
    ).to_be_visible()
    _accessible_at_both_widths(page, "second-factor-setup")
    secret = page.locator(".totp-secret code").inner_text().replace(" ", "")
    field = page.get_by_label("Code aus der App zur Bestätigung")
    field.fill("123")
    page.get_by_role("button", name="App einrichten").click()
    expect(page.locator(".kern-error")).to_contain_text("Der Code besteht aus sechs Ziffern")
    _accessible_at_both_widths(page, "second-factor-setup-error")
    code = pyotp.TOTP(secret).now()
    page.get_by_label("Code aus der App zur Bestätigung").fill(f"{code[:3]} {code[3:]}")
    page.get_by_role("button", name="App einrichten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Wiederherstellungscodes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Als Textdatei herunterladen").click()
    saved = download.value
    assert saved.suggested_filename == "wiederherstellungscodes.txt"
    text = Path(saved.path()).read_text(encoding="utf-8")
    first_code = page.locator(".recovery-codes li code").first.inner_text()
    assert first_code in text and email in text
    _accessible_at_both_widths(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="Ich habe die Codes gesichert – weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht der Geschäftsstelle")

    _log_out(page)
    _password(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    _accessible_at_both_widths(page, "second-factor-code")
    code_field = page.get_by_label("Code aus der Authenticator-App")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    code_field.fill("000000")
    page.get_by_role("button", name="Bestätigen", exact=True).click()
    expect(page.locator(".kern-error")).to_contain_text("Der Code ist nicht richtig")
    _accessible_at_both_widths(page, "second-factor-code-error")
    page.get_by_label("Code aus der Authenticator-App").fill(code_for(email, secret))
    page.get_by_role("button", name="Bestätigen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht der Geschäftsstelle")

    _log_out(page)
    _password(page, email)
    page.get_by_label("Wiederherstellungscode", exact=True).fill(first_code)
    page.get_by_role("button", name="Mit Wiederherstellungscode anmelden").click()
    expect(page.get_by_text("9 sind noch übrig")).to_be_visible()


def test_the_account_pages_devices_confirmation_and_reset(
    page: Page, app, make, accounts, live_server
):
    from tests.two_factor import complete_login_in_browser

    _password(page, accounts["office"])
    complete_login_in_browser(page, accounts["office"])
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Anmeldung und Sicherheit"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung und Sicherheit")
    _accessible_at_both_widths(page, "second-factor-account")
    elsewhere = page.context.browser.new_context(base_url=live_server, locale="de-DE")
    other_device = elsewhere.new_page()  # the same account, logged in on another device
    _password(other_device, accounts["office"])
    complete_login_in_browser(other_device, accounts["office"])
    elsewhere.close()
    page.get_by_role("link", name="Angemeldete Geräte").click()
    expect(page.get_by_text("(dieses Gerät)")).to_be_visible()
    _accessible_at_both_widths(page, "second-factor-devices")
    page.set_viewport_size({"width": 390, "height": 844})
    end = page.get_by_role("button", name="Anmeldung beenden")
    box = end.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44, box
    end.click()
    expect(page.locator(".device")).to_have_count(1)
    page.set_viewport_size({"width": 1280, "height": 900})
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(confirmed_at=utcnow() - timedelta(minutes=11))
        )
        db.session.commit()
    assessor_id = make.user_id(accounts["assessor"])
    page.goto(f"/office/users/{assessor_id}/second-factor/reset")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bitte bestätigen Sie, dass Sie es sind"
    )
    _accessible_at_both_widths(page, "second-factor-confirm")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Mit Passwort bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zweiten Faktor zurücksetzen")
    _accessible_at_both_widths(page, "second-factor-reset")
    page.get_by_role("button", name="Zweiten Faktor zurücksetzen").click()
    expect(page.get_by_text("ist zurückgesetzt")).to_be_visible()


@pytest.fixture
def on_localhost(app, page: Page, live_server, monkeypatch) -> Page:
    """WebAuthn refuses IP addresses as relying party: the same server, called localhost."""
    port = urlsplit(live_server).port
    base = f"http://localhost:{port}"
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", base)
    monkeypatch.setitem(app.config, "WEBAUTHN_RP_ID", "localhost")
    context = page.context.browser.new_context(base_url=base, locale="de-DE", bypass_csp=True)
    localhost_page = context.new_page()
    cdp = context.new_cdp_session(localhost_page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield localhost_page
    context.close()


def test_a_passkey_as_the_only_factor_in_chromium(on_localhost: Page, make):
    page = on_localhost
    email = make.user(Role.ASSESSOR, "passkey@example.org", second_factor=False)
    _password(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    page.get_by_label("Name des Passkeys").fill("Laptop")
    page.get_by_role("button", name="Passkey einrichten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Wiederherstellungscodes")
    page.get_by_role("link", name="Ich habe die Codes gesichert – weiter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")
    _log_out(page)
    _password(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    page.get_by_role("button", name="Mit Passkey bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")
    page.goto("/account/security")
    expect(page.get_by_text("Laptop", exact=False).first).to_be_visible()
