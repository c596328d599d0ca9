"""The one-time link's token never sits in the session cookie (signed, not encrypted: anyone
with the cookie could read it): the session holds the link's id and a keyed hash of it."""

from __future__ import annotations

import base64
import zlib

from tests.auth.test_passwords import NEW_PASSWORD, _issue_link
from tests.conftest import login, text_of


def _session_text(client) -> str:
    """The session cookie's payload as text (itsdangerous: optional „.“ for compressed)."""
    value = client.get_cookie("seal_session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_session_holds_no_token_and_the_link_still_works(app, client, accounts, make):
    email, path = _issue_link(client, accounts, make)
    token = path.rsplit("/", 1)[1]
    browser = app.test_client()
    opened = browser.get(path)
    assert opened.status_code == 303
    assert (
        token not in _session_text(browser)
        and token not in browser.get_cookie("seal_session").value
    )
    form = browser.get("/password/set")
    assert "Passwort festlegen" in text_of(form)
    browser.post(
        "/password/set", data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert login(app.test_client(), email, NEW_PASSWORD).status_code == 302
    assert browser.get("/password/set").status_code == 404  # used: gone


def test_a_forged_session_entry_opens_nothing(app, client, accounts, make):
    _email, path = _issue_link(client, accounts, make)
    browser = app.test_client()
    browser.get(path)
    with browser.session_transaction() as session:
        entry = session["password_link"]
        assert isinstance(entry, dict) and set(entry) == {"id", "mac"}
        session["password_link"] = {"id": entry["id"], "mac": "0" * len(entry["mac"])}
    assert browser.get("/password/set").status_code == 404
    with browser.session_transaction() as session:
        session["password_link"] = "ein-altes-token"
    assert browser.get("/password/set").status_code == 404
