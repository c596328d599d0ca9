"""Long passphrases are welcome up to the app's maximum: the strength check looks at their
beginning only (zxcvbn takes at most 72 characters), and a longer one is refused in German."""

from __future__ import annotations

import pytest

from seal_app.auth.passwords import PASSWORD_MAX_LENGTH
from tests.auth.test_passwords import _issue_link
from tests.conftest import PASSWORD, login, text_of

TEXT = (
    "Morgennebel über der Warnow, Kraniche ziehen südwärts; der Zug nach Güstrow fährt um "
    "sieben Uhr zweiundvierzig, und im Schulgarten blühen noch späte Astern neben dem alten "
    "Birnbaum, den die Klasse 4b vor zwanzig Jahren gepflanzt hat. "
)


def passphrase(length: int) -> str:
    text = TEXT * (length // len(TEXT) + 1)
    return text[:length]


@pytest.mark.parametrize("length", [73, 200, PASSWORD_MAX_LENGTH])
def test_a_long_new_password_is_accepted_on_the_account_page(app, accounts, length):
    client = app.test_client()
    login(client, accounts["office"])
    new = passphrase(length)
    answer = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert answer.status_code == 302, text_of(answer)
    assert login(app.test_client(), accounts["office"], new).status_code == 302


@pytest.mark.parametrize("length", [73, 200])
def test_a_long_password_is_accepted_through_the_link(client, accounts, make, length):
    email, path = _issue_link(client, accounts, make)
    client.get(path)
    new = passphrase(length)
    answer = client.post(path, data={"new_password": new, "confirm_password": new})
    assert answer.status_code == 302, text_of(answer)
    assert login(client, email, new).status_code == 302


def test_a_password_over_the_maximum_is_refused_in_german(app, client, accounts, make):
    too_long = passphrase(PASSWORD_MAX_LENGTH + 1)
    message = f"Das Passwort darf höchstens {PASSWORD_MAX_LENGTH} Zeichen lang sein."
    office = app.test_client()
    login(office, accounts["office"])
    answer = office.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": too_long, "confirm_password": too_long},
    )
    assert answer.status_code == 200 and message in text_of(answer)
    _email, path = _issue_link(client, accounts, make)
    answer = client.post(path, data={"new_password": too_long, "confirm_password": too_long})
    assert answer.status_code == 200 and message in text_of(answer)
