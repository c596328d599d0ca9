"""Failed password checks count per account and address: strangers cannot lock owners out."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import SecurityEvent, SecurityEventKind
from seal_app.extensions import db
from tests.conftest import PASSWORD, login, text_of

NEW_PASSWORD = "Leuchtturm-Warnemünde-Sanddorn-7"
OWNER = {"REMOTE_ADDR": "198.51.100.7"}
STRANGER = {"REMOTE_ADDR": "203.0.113.66"}


def _login_from(client, address: dict, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password}, environ_base=address)


def test_owner_still_logs_in_after_five_wrong_passwords_from_elsewhere(
    app, client, accounts, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    for _ in range(5):
        assert _login_from(client, STRANGER, accounts["office"], "falsch").status_code == 200
    refused = _login_from(client, STRANGER, accounts["office"], PASSWORD)
    assert refused.status_code == 429
    owner = _login_from(app.test_client(), OWNER, accounts["office"], PASSWORD)
    assert owner.status_code == 302


def test_the_refusal_keeps_the_email_and_says_why_in_german(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "1 per 15 minutes")
    _login_from(client, STRANGER, accounts["office"], "falsch")
    refused = _login_from(client, STRANGER, accounts["office"], "falsch")
    assert refused.status_code == 429
    assert "Zu viele Versuche" in text_of(refused)
    assert f'value="{accounts["office"]}"' in refused.get_data(as_text=True)
    assert "falsch" not in refused.get_data(as_text=True)


def test_the_address_limit_still_counts_every_login(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "3 per 10 minutes")
    for number in range(3):
        _login_from(client, STRANGER, f"person{number}@example.org", "falsch")
    assert _login_from(client, STRANGER, accounts["office"], PASSWORD).status_code == 429
    assert _login_from(client, OWNER, accounts["office"], PASSWORD).status_code == 302


def _change(client, current: str):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )


def test_change_password_refuses_after_too_many_wrong_current_passwords(
    app, client, accounts, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    login(client, accounts["office"])
    for _ in range(3):
        answer = _change(client, "falsch")
        assert "Das bisherige Passwort ist nicht richtig." in text_of(answer)
    refused = _change(client, PASSWORD)  # even the right one, for now
    assert refused.status_code == 429
    assert "Zu viele Versuche" in text_of(refused)
    assert 'id="current_password"' in refused.get_data(as_text=True)  # the form is still there
    assert login(app.test_client(), accounts["office"], NEW_PASSWORD).status_code != 302


def test_right_current_passwords_do_not_use_up_the_limit(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "1 per 15 minutes")
    login(client, accounts["office"])
    assert _change(client, PASSWORD).status_code == 302
    assert _change(client, NEW_PASSWORD).status_code == 302


def test_staff_sharing_one_address_are_not_limited_by_successful_logins(app, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "2 per 10 minutes")
    for _ in range(2):
        for role in ("school", "assessor", "office"):
            client = app.test_client()
            assert _login_from(client, OWNER, accounts[role], PASSWORD).status_code == 302


def test_a_flood_of_refused_logins_does_not_flood_the_security_log(
    app, client, accounts, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "1 per 15 minutes")
    _login_from(client, STRANGER, accounts["office"], "falsch")
    for _ in range(30):
        assert _login_from(client, STRANGER, accounts["office"], "falsch").status_code == 429
    with app.app_context():
        refusals = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SecurityEvent)
            .where(SecurityEvent.event == SecurityEventKind.LOGIN_REFUSED)
        )
    assert refusals == 20
