"""The second factor's form addresses opened with GET (a phone restoring a tab, a bookmark):
each leads to its own page, with a note where the answer had shown the recovery codes; never a
405 page, and nothing changes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.twofactor.models import RecoveryCode
from tests.conftest import PASSWORD, login, text_of

NOTE = "Wiederherstellungscodes werden nur einmal angezeigt."


def _codes(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(RecoveryCode.code_hash)))


@pytest.mark.parametrize(
    "path", ["/account/second-factor/totp?next=/", "/account/passkeys", "/account/recovery-codes"]
)
def test_a_codes_page_opened_again_leads_to_the_account_with_a_note(app, client, accounts, path):
    login(client, accounts["office"])
    before = _codes(app)
    opened = client.get(path)
    assert opened.status_code == 302 and opened.location.endswith("/account/security")
    page = client.get(opened.location)
    assert page.status_code == 200 and NOTE in text_of(page)
    assert "Neue Wiederherstellungscodes erzeugen" in text_of(page)
    assert _codes(app) == before  # nothing new made


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/account/second-factor/totp/remove", "/account/security"),
        ("/account/passkeys/1/remove", "/account/security"),
        ("/account/devices/1/end", "/account/devices"),
        ("/account/devices/end-others", "/account/devices"),
    ],
)
def test_other_form_addresses_lead_to_their_page(client, accounts, path, target):
    login(client, accounts["office"])
    opened = client.get(path)
    assert opened.status_code == 302 and opened.location.endswith(target)
    assert client.get(opened.location).status_code == 200


def test_a_login_waiting_for_its_code_is_led_to_the_code_page(client, accounts):
    client.post("/login", data={"email": accounts["assessor"], "password": PASSWORD})
    opened = client.get("/account/second-factor/totp?next=/")
    assert opened.status_code == 302 and opened.location.startswith("/login/code")


def test_before_the_factor_is_set_up_the_address_leads_to_the_setup(client, make):
    email = make.user(Role.ASSESSOR, "neu@example.org", second_factor=False)
    client.post("/login", data={"email": email, "password": PASSWORD})
    opened = client.get("/account/second-factor/totp?next=/")
    assert opened.status_code == 302 and "/account/second-factor/setup" in opened.location
    assert NOTE not in text_of(client.get(opened.location))


def test_without_a_login_the_address_leads_to_the_login(client):
    opened = client.get("/account/second-factor/totp")
    assert opened.status_code == 302 and "/login" in opened.location
