"""Password storage and the rules for new passwords, changing and setting them."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from seal_app.auth import passwords
from seal_app.auth.models import PasswordLink, Role, User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from tests.conftest import PASSWORD, login, text_of

NEW_PASSWORD = "Leuchtturm-Warnemünde-Sanddorn-7"


def test_passwords_are_stored_as_argon2id_hashes(app, make):
    email = make.user(Role.OFFICE)
    with app.app_context():
        stored = db.session.scalar(sa.select(User.password_hash).where(User.email == email))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_password_rules(app):
    with app.test_request_context():
        assert passwords.password_problems("kurz", []) == [
            "Das Passwort muss mindestens 10 Zeichen lang sein."
        ]
        for common in ("password123", "qwertzuiop", "1234567890", "passwort123!"):
            assert "zu leicht zu erraten" in passwords.password_problems(common, [])[0], common
        assert "Namen" in passwords.password_problems("Mustermann-2025!x", ["Mustermann"])[0]
        assert passwords.password_problems(NEW_PASSWORD, ["Erika Mustermann"]) == []


def test_change_password_requires_the_current_one_and_a_strong_new_one(client, accounts):
    login(client, accounts["office"])
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "falsch",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert "Das bisherige Passwort ist nicht richtig." in text_of(wrong)
    weak = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "passwort123",
            "confirm_password": "passwort123",
        },
    )
    assert "zu leicht zu erraten" in text_of(weak)
    assert "Bitte korrigieren Sie die folgenden Angaben" in text_of(weak)
    mismatch = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD + "x",
        },
    )
    assert "Die beiden Passwörter stimmen nicht überein." in text_of(mismatch)


def test_changing_the_password_signs_out_other_sessions(app, accounts):
    first, second = app.test_client(), app.test_client()
    login(first, accounts["office"])
    login(second, accounts["office"])
    response = first.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert first.get("/office/users").status_code == 200  # this session stays
    assert second.get("/office/users").headers["Location"].startswith("/login")
    assert login(app.test_client(), accounts["office"], NEW_PASSWORD).status_code == 302


def _issue_link(client, accounts, make) -> tuple[str, str]:
    email = make.user(Role.ASSESSOR, password=None, name="Jonas Gutmann")
    login(client, accounts["office"])
    page = client.post(f"/office/users/{make.user_id(email)}/password-link")
    link = re.search(r'<code id="password-link">([^<]+)</code>', page.get_data(as_text=True))
    client.post("/logout")
    return email, link.group(1).replace("https://siegel.example.org", "")


def test_one_time_link_sets_a_password_once(client, accounts, make):
    email, path = _issue_link(client, accounts, make)
    page = client.get(path, follow_redirects=True)
    assert "Passwort festlegen" in text_of(page)
    assert page.request.path == "/password/set"  # the token left the address
    response = client.post(
        page.request.path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert login(client, email, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 404 and "Dieser Link gilt nicht mehr" in text_of(again)


def test_a_new_link_makes_the_older_one_invalid(client, accounts, make):
    email, first = _issue_link(client, accounts, make)
    login(client, accounts["office"])
    client.post(f"/office/users/{make.user_id(email)}/password-link")
    client.post("/logout")
    assert client.get(first).status_code == 404


def test_expired_link_is_refused(app, client, accounts, make):
    _email, path = _issue_link(client, accounts, make)
    with app.app_context():
        link = db.session.scalar(sa.select(PasswordLink).where(PasswordLink.used_at.is_(None)))
        link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.get(path).status_code == 404


def test_weak_password_through_link_is_refused_and_link_stays_usable(client, accounts, make):
    _email, path = _issue_link(client, accounts, make)
    response = client.post(
        path, data={"new_password": "jonasgutmann1", "confirm_password": "jonasgutmann1"}
    )
    assert response.status_code == 200
    assert "darf Ihren Namen oder Ihre E-Mail-Adresse nicht enthalten" in text_of(response)
    assert client.get(path, follow_redirects=True).status_code == 200


def test_only_token_hashes_are_stored(app, client, accounts, make):
    _email, path = _issue_link(client, accounts, make)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(sa.select(PasswordLink.token_hash)).all()
    assert stored and token not in stored


def test_words_of_the_mail_domain_may_be_in_the_password(app, make):
    from seal_app.auth.forms import SetPasswordForm

    with app.test_request_context(
        method="POST",
        data={"new_password": "Teterow-Sicher-2026", "confirm_password": "Teterow-Sicher-2026"},
    ):
        form = SetPasswordForm(meta={"csrf": False})
        form.personal_words = ["joerg.muessig@schule-teterow.de", "Jörg Müssig"]
        assert form.validate(), form.errors
        form = SetPasswordForm(meta={"csrf": False})
        form.personal_words = ["teterow@schule.de", "Jörg Müssig"]
        assert not form.validate()  # the part before the @ still counts
