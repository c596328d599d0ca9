"""Passkeys through the test client, with responses made by a software authenticator: one's
own passkey logs in; another user's, another origin's or an old challenge's response does not."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.twofactor.models import Passkey
from tests.conftest import PASSWORD, text_of
from tests.twofactor.authenticator import SoftPasskey, options_in

CODE_PAGE = "/login/code"


def _with_passkey(app, make, email: str, name: str = "Laptop Büro") -> SoftPasskey:
    """An office account without a factor sets a passkey up as its first factor."""
    make.user(Role.OFFICE, email, second_factor=False)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    setup = client.get("/account/second-factor/setup")
    assert setup.status_code == 200
    passkey = SoftPasskey()
    answer = passkey.register(options_in(setup.get_data(as_text=True)))
    shown = client.post("/account/passkeys", data={"name": name, "credential": answer})
    assert "Ihre Wiederherstellungscodes" in text_of(shown)
    assert client.get("/office/users").status_code == 200
    return passkey


def _code_page(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"].startswith(CODE_PAGE)
    return client, options_in(client.get(CODE_PAGE).get_data(as_text=True))


def test_a_passkey_is_the_only_factor_beside_the_password(app, make):
    passkey = _with_passkey(app, make, "buero2@example.org")
    with app.app_context():
        stored = db.session.scalar(sa.select(Passkey))
        assert stored.name == "Laptop Büro" and stored.transports == "internal"
    client, options = _code_page(app, "buero2@example.org")
    assert [item["id"] for item in options["allowCredentials"]] == [stored.credential_id]
    response = client.post(CODE_PAGE, data={"credential": passkey.assert_(options)})
    assert response.headers["Location"] == "/"
    assert client.get("/office/users").status_code == 200


def test_a_response_is_refused_for_another_origin_and_its_challenge_is_then_spent(app, make):
    passkey = _with_passkey(app, make, "buero2@example.org")
    client, options = _code_page(app, "buero2@example.org")
    foreign = passkey.assert_(options, origin="https://siegel.example.org.evil.example")
    refused = client.post(CODE_PAGE, data={"credential": foreign})
    assert refused.status_code == 200
    assert "Der Passkey konnte nicht bestätigt werden" in text_of(refused)
    # the right answer to that same challenge is now too late
    late = client.post(CODE_PAGE, data={"credential": passkey.assert_(options)})
    assert late.status_code == 200
    assert client.get("/office/users").headers["Location"].startswith(CODE_PAGE)


def test_an_accepted_response_cannot_be_sent_again(app, make):
    passkey = _with_passkey(app, make, "buero2@example.org")
    client, options = _code_page(app, "buero2@example.org")
    answer = passkey.assert_(options)
    assert client.post(CODE_PAGE, data={"credential": answer}).status_code == 302
    again, _options = _code_page(app, "buero2@example.org")
    assert again.post(CODE_PAGE, data={"credential": answer}).status_code == 200
    assert again.get("/office/users").headers["Location"].startswith(CODE_PAGE)


def test_another_users_passkey_does_not_log_in(app, make):
    _with_passkey(app, make, "buero2@example.org")
    stranger = _with_passkey(app, make, "buero3@example.org")
    client, options = _code_page(app, "buero2@example.org")
    response = client.post(CODE_PAGE, data={"credential": stranger.assert_(options)})
    assert response.status_code == 200
    assert client.get("/office/users").headers["Location"].startswith(CODE_PAGE)


def test_a_second_named_passkey_and_removing_one(app, make):
    first = _with_passkey(app, make, "buero2@example.org")
    client, options = _code_page(app, "buero2@example.org")
    assert client.post(CODE_PAGE, data={"credential": first.assert_(options)}).status_code == 302
    setup = client.get("/account/second-factor/setup").get_data(as_text=True)
    second = SoftPasskey()
    added = client.post(
        "/account/passkeys",
        data={"name": "Sicherheitsschlüssel", "credential": second.register(options_in(setup))},
    )
    assert added.headers["Location"] == "/account/security"  # codes exist: not shown again
    page = text_of(client.get("/account/security"))
    assert "Laptop Büro" in page and "Sicherheitsschlüssel" in page
    with app.app_context():
        ids = db.session.scalars(sa.select(Passkey.id).order_by(Passkey.id)).all()
    removed = text_of(client.post(f"/account/passkeys/{ids[0]}/remove", follow_redirects=True))
    assert "Der Passkey „Laptop Büro“ ist entfernt." in removed
    assert "Laptop Büro · eingerichtet" not in removed and "Sicherheitsschlüssel · " in removed
    refused = client.post(f"/account/passkeys/{ids[1]}/remove", follow_redirects=True)
    assert "Ihr Konto braucht einen zweiten Faktor" in text_of(refused)
