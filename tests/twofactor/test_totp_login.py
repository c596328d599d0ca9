"""Logging in with the password and a code of the authenticator app, through the test client."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from seal_app.auth.models import Role, SecurityEvent, SecurityEventKind
from seal_app.extensions import db
from seal_app.twofactor.models import RecoveryCode, TotpFactor
from tests.conftest import PASSWORD, login, text_of
from tests.two_factor import TOTP_SECRET, code_for

CODE_PAGE = "/login/code"


def _password(client, email: str):
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"].startswith(CODE_PAGE)
    return response


def _code(client, code: str):
    return client.post(CODE_PAGE, data={"code": code})


def _events(app) -> list[SecurityEventKind]:
    with app.app_context():
        return list(db.session.scalars(sa.select(SecurityEvent.event).order_by(SecurityEvent.id)))


def test_an_office_account_logs_in_with_password_and_a_current_code(app, client, accounts):
    _password(client, accounts["office"])
    assert client.get("/office/users").headers["Location"].startswith(CODE_PAGE)
    page = client.get(CODE_PAGE)
    html = page.get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    code = code_for(accounts["office"])
    response = _code(client, f" {code[:3]} {code[3:]} ")  # pasted with spaces
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/office/users").status_code == 200
    assert _events(app)[-2:] == [
        SecurityEventKind.LOGIN_SUCCEEDED,
        SecurityEventKind.SECOND_FACTOR_SUCCEEDED,
    ]


def test_wrong_used_expired_and_overlong_codes_are_refused_in_german(app, accounts):
    office = accounts["office"]
    first = app.test_client()
    _password(first, office)
    code = code_for(office)
    assert _code(first, code).status_code == 302
    second = app.test_client()
    _password(second, office)
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    expired = pyotp.TOTP(TOTP_SECRET).at(time.time() - 120)
    for typed in (wrong, code, expired, "1" * 100, "abcdef"):
        response = _code(second, typed)
        assert response.status_code == 200, typed
        said = text_of(response)
        if typed.isdigit() and len(typed) == 6:
            assert "Der Code ist nicht richtig, abgelaufen oder wurde schon verwendet" in said
        else:  # no code at all: said so, and still counted against the limit
            assert "Der Code besteht aus sechs Ziffern; Sie haben etwas anderes eingegeben" in said
        assert second.get("/office/users").headers["Location"].startswith(CODE_PAGE)
    assert _events(app).count(SecurityEventKind.SECOND_FACTOR_FAILED) == 5


def test_too_many_wrong_codes_lock_the_account_from_any_address(app, accounts):
    office = accounts["office"]
    client = app.test_client()
    _password(client, office)
    for _ in range(5):
        assert _code(client, "000000").status_code == 200
    refused = _code(client, code_for(office))  # even the right code: the limit holds
    assert refused.status_code == 429
    assert "zu viele falsche Codes" in text_of(refused)
    elsewhere = app.test_client()
    elsewhere.post(
        "/login",
        data={"email": office, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert (
        elsewhere.post(
            CODE_PAGE, data={"code": code_for(office)}, environ_base={"REMOTE_ADDR": "192.0.2.7"}
        ).status_code
        == 429
    )
    assert SecurityEventKind.SECOND_FACTOR_REFUSED in _events(app)


def test_a_recovery_code_works_once(app, make):
    office = make.user(Role.OFFICE, "neu@example.org", second_factor=False)
    client = app.test_client()
    client.post("/login", data={"email": office, "password": PASSWORD})
    setup = client.get("/account/second-factor/setup")
    token = _hidden(setup.get_data(as_text=True), "secret_token")
    secret = _secret(setup.get_data(as_text=True))
    shown = client.post(
        "/account/second-factor/totp",
        data={"secret_token": token, "code": pyotp.TOTP(secret).now()},
    )
    codes = _codes(shown.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post("/logout")
    with app.app_context():
        stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not any(code.replace("-", "") in stored for code in codes)
        sealed = db.session.scalar(sa.select(TotpFactor.secret_encrypted))
        assert secret not in sealed  # stored encrypted
    for attempt in range(2):
        other = app.test_client()
        other.post("/login", data={"email": office, "password": PASSWORD})
        response = other.post(CODE_PAGE, data={"recovery_code": codes[0].upper()})
        if attempt == 0:
            assert response.headers["Location"] == "/"
            assert "9 sind noch übrig" in text_of(other.get("/"))
        else:
            assert response.status_code == 200
            assert "wurde schon verwendet" in text_of(response)
    assert SecurityEventKind.RECOVERY_CODE_USED in _events(app)


def test_a_new_set_of_recovery_codes_replaces_the_old(app, client, accounts):
    login(client, accounts["office"])
    first = _codes(client.post("/account/recovery-codes").get_data(as_text=True))
    second = _codes(client.post("/account/recovery-codes").get_data(as_text=True))
    assert set(first).isdisjoint(second)
    client.post("/logout")
    client.post("/login", data={"email": accounts["office"], "password": PASSWORD})
    assert client.post(CODE_PAGE, data={"recovery_code": first[0]}).status_code == 200
    assert client.post(CODE_PAGE, data={"recovery_code": second[0]}).status_code == 302


def test_the_codes_page_offers_a_text_file_and_printing(client, accounts):
    login(client, accounts["office"])
    html = client.post("/account/recovery-codes").get_data(as_text=True)
    assert 'download="wiederherstellungscodes.txt"' in html
    assert 'href="data:text/plain;charset=utf-8;base64,' in html
    assert "data-print" in html and "second-factor.css" in html


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def _secret(html: str) -> str:
    return (
        re.search(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    )


def _codes(html: str) -> list[str]:
    return re.findall(
        r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></li>", html
    )


def test_set_up_on_the_phone_itself_and_told_what_a_code_looks_like(app, make):
    """The set-up page links the app's own address (a phone cannot scan its own screen), the
    menu offers no second login half-way through, and what is no code is called so."""
    office = make.user(Role.OFFICE, "telefon@example.org", second_factor=False)
    client = app.test_client()
    client.post("/login", data={"email": office, "password": PASSWORD})
    html = client.get("/account/second-factor/setup").get_data(as_text=True)
    secret = _secret(html)
    link = re.search(r'href="(otpauth://[^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith("otpauth://totp/") and f"secret={secret}" in link
    assert "Auf diesem Gerät in der Authenticator-App öffnen" in html
    menu = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert "Zugang beantragen" not in menu and 'href="/login"' not in menu
    token = _hidden(html, "secret_token")
    for typed, said in (
        ("12345", "Der Code besteht aus sechs Ziffern"),
        ("abcdef", "Der Code besteht aus sechs Ziffern"),
        (str((int(pyotp.TOTP(secret).now()) + 1) % 1_000_000).zfill(6), "Der Code passt nicht"),
    ):
        answer = client.post(
            "/account/second-factor/totp", data={"secret_token": token, "code": typed}
        )
        assert answer.status_code == 200 and said in text_of(answer), typed
