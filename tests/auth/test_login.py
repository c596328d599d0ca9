"""Logging in and out: one generic message, no enumeration, fresh sessions, rate limits."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import Role, User
from seal_app.extensions import db
from tests.conftest import PASSWORD, login, text_of
from tests.two_factor import complete_login

GENERIC = "E-Mail-Adresse oder Passwort sind nicht richtig."


def test_each_role_lands_on_its_home_page(client, accounts):
    expected = {
        "school": "Grundschule am Wall",
        "assessor": "Ihre Gutachten",
        "office": "Übersicht der Geschäftsstelle",
    }
    for role, heading in expected.items():
        response = login(client, accounts[role])
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert heading in text_of(client.get("/"))
        client.post("/logout")


def test_wrong_password_and_unknown_email_get_the_same_german_message(client, accounts):
    wrong = login(client, accounts["office"], "falsches-passwort")
    unknown = login(client, "niemand@example.org", "falsches-passwort")
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC in text_of(wrong) and GENERIC in text_of(unknown)
    assert text_of(wrong).replace(accounts["office"], "") == text_of(unknown).replace(
        "niemand@example.org", ""
    )


def test_disabled_account_and_account_without_password_cannot_log_in(client, make):
    disabled = make.user(Role.OFFICE, enabled=False)
    no_password = make.user(Role.OFFICE, password=None)
    for email in (disabled, no_password):
        assert GENERIC in text_of(login(client, email))


def test_email_is_matched_without_regard_to_case_and_spaces(client, accounts):
    response = login(client, "  BUERO@Example.org ", PASSWORD)
    assert response.status_code == 302


def test_login_starts_a_fresh_session(client, accounts):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, accounts["office"])
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(str(_user_id(client, accounts["office"])) + ":")


def _user_id(client, email):
    with client.application.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def test_logout_ends_the_session(client, accounts):
    login(client, accounts["office"])
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert client.get("/office/users").headers["Location"].startswith("/login")


def test_next_parameter_only_leads_to_this_site(client, accounts):
    office = accounts["office"]
    response = client.post(
        "/login?next=https://evil.example.com/", data={"email": office, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/login/code?next=/"
    assert complete_login(client, response, office).headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/office/schools/", data={"email": office, "password": PASSWORD}
    )
    response = complete_login(client, response, office)
    assert response.headers["Location"] == "/office/schools/"


def test_session_cookie_is_http_only_and_same_site(client, accounts):
    response = login(client, accounts["office"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # the test configuration's public address is https, so the cookie is Secure too
    assert "Secure" in cookie


def test_too_many_failed_logins_for_one_account_answer_429_in_german(
    app, client, accounts, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    for _ in range(3):
        assert login(client, accounts["office"], "falsch").status_code == 200
    response = login(client, accounts["office"], PASSWORD)
    assert response.status_code == 429
    assert "Zu viele Versuche" in text_of(response)
    # another account from the same address is not locked out by it
    assert login(client, accounts["school"]).status_code == 302


def test_successful_logins_do_not_use_up_the_account_limit(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 15 minutes")
    for _ in range(4):
        assert login(client, accounts["office"]).status_code == 302
        client.post("/logout")


def test_too_many_logins_from_one_address_answer_429(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "4 per 10 minutes")
    for number in range(4):
        login(client, f"person{number}@example.org", "falsch")
    response = login(client, "person9@example.org", "falsch")
    assert response.status_code == 429
    assert "Bitte warten Sie einige Minuten" in text_of(response)


def test_the_chosen_language_survives_login(client, accounts):
    client.post("/language", data={"language": "en", "next": "/login"})
    login(client, accounts["office"])
    assert "District office overview" in text_of(client.get("/"))
