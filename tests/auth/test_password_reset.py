"""„Passwort vergessen?“: the same answer for every address, a one-time link valid two hours
mailed only to an existing, enabled account, rate-limited per address and per account, and
every other session of the account ended when the new password is set."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import sqlalchemy as sa

from seal_app.auth.models import PasswordLink, PasswordLinkPurpose, SecurityEvent, User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from tests.conftest import login, text_of

NEW_PASSWORD = "Leuchtturm-Warnemünde-Sanddorn-7"
ANSWER = "Wenn es zu dieser Adresse ein Konto gibt, ist eine E-Mail mit einem Link unterwegs."


def _forgot(client, email: str):
    return client.post("/password/forgot", data={"email": email})


def _path_of_link(mail) -> str:
    return urlparse(re.search(r"https://\S+/password/set/\S+", mail.text).group(0)).path


def test_the_answer_is_the_same_with_or_without_an_account(app, client, accounts, mail_server):
    known = _forgot(client, accounts["school"])
    unknown = _forgot(client, "niemand@example.org")
    assert known.status_code == unknown.status_code == 200
    assert ANSWER in text_of(known)
    assert text_of(known) == text_of(unknown)
    [mail] = mail_server.received
    assert mail.recipients == [accounts["school"]]
    assert mail.subject == "Neues Passwort für das Gütesiegel „Sicherheit macht Schule“"
    assert "2 Stunden und nur einmal" in mail.text


def test_the_link_is_valid_two_hours_and_only_its_hash_is_stored(
    app, client, accounts, mail_server
):
    _forgot(client, accounts["school"])
    path = _path_of_link(mail_server.received[0])
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        link = db.session.scalar(sa.select(PasswordLink))
        assert link.purpose is PasswordLinkPurpose.RESET
        assert (
            timedelta(hours=1, minutes=59) < link.expires_at - link.created_at <= timedelta(hours=2)
        )
        assert token not in link.token_hash
        link.expires_at = utcnow() - timedelta(seconds=1)  # two hours later
        db.session.commit()
    assert client.get(path).status_code == 404


def test_setting_the_new_password_ends_every_other_session_and_the_link(
    app, client, accounts, mail_server
):
    elsewhere = app.test_client()
    login(elsewhere, accounts["school"])
    assert elsewhere.get("/account/password").status_code == 200
    _forgot(client, accounts["school"])
    path = _path_of_link(mail_server.received[0])
    answer = client.post(
        path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert answer.status_code == 302
    assert elsewhere.get("/account/password").status_code == 302  # that session has ended
    assert login(app.test_client(), accounts["school"], NEW_PASSWORD).status_code == 302
    again = client.get(path)
    assert again.status_code == 404 and "Dieser Link gilt nicht mehr" in text_of(again)


def test_twenty_requests_for_one_address_send_at_most_three_mails(
    app, client, accounts, mail_server, monkeypatch
):
    monkeypatch.setitem(app.config, "RESET_LIMIT_PER_ADDRESS", "10 per hour")
    answers = [_forgot(client, accounts["school"]).status_code for _ in range(20)]
    assert set(answers) <= {200, 429} and answers.count(200) == 10
    assert len(mail_server.received) == 3
    refused = text_of(_forgot(client, accounts["school"]))
    assert "Zu viele Anfragen" in refused
    with app.app_context():
        events = db.session.scalars(sa.select(SecurityEvent.event)).all()
    assert [str(item) for item in events].count("password.reset_requested") == 3
    assert "password.reset_refused" in [str(item) for item in events]


def test_the_limit_per_account_holds_across_addresses(app, accounts, mail_server):
    for number in range(6):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.0.0.{number + 1}"
        assert _forgot(other, accounts["school"]).status_code == 200
    assert len(mail_server.received) == 3


def test_a_disabled_account_gets_no_link(app, client, accounts, mail_server):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == accounts["school"]))
        user.is_enabled = False
        db.session.commit()
    assert ANSWER in text_of(_forgot(client, accounts["school"]))
    assert mail_server.received == []


def test_a_bad_address_is_named_and_kept(app, client, mail_server):
    answer = _forgot(client, "")
    assert "Bitte geben Sie Ihre E-Mail-Adresse ein." in text_of(answer)
    assert mail_server.received == []


def test_with_mail_off_the_page_sends_people_to_the_office(app, client, accounts):
    assert "Passwort vergessen?" in text_of(client.get("/login"))
    page = client.get("/password/forgot")
    assert "Die Geschäftsstelle schickt Ihnen einen Link" in text_of(page)
    assert 'name="email"' not in page.get_data(as_text=True)
    assert _forgot(client, accounts["school"]).status_code == 200


def test_with_mail_on_the_login_page_links_the_form(app, client, mail_server):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page
