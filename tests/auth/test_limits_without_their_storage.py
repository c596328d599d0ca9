"""While the rate limiter's storage (Redis in production) cannot be reached, the limits of
passwords and second factors count in the process instead: never an error page, never open."""

from __future__ import annotations

import pytest
from flask_limiter import Limiter
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from seal_app.auth import throttle
from tests.conftest import PASSWORD, text_of
from tests.two_factor import CODE_PAGE, code_for


class _Unreachable:
    """A limiting strategy whose storage is gone, as Redis' client reports it."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return refuse


@pytest.fixture
def storage_gone(monkeypatch):
    monkeypatch.setattr(Limiter, "limiter", property(lambda self: _Unreachable()))
    monkeypatch.setattr(throttle, "_IN_PROCESS", FixedWindowRateLimiter(MemoryStorage()))


def test_the_code_page_counts_in_the_process_while_the_storage_is_gone(app, accounts, storage_gone):
    office = accounts["office"]
    client = app.test_client()
    response = client.post("/login", data={"email": office, "password": PASSWORD})
    assert response.headers["Location"].startswith(CODE_PAGE)
    for _ in range(5):
        wrong = client.post(CODE_PAGE, data={"code": "000000"})
        assert wrong.status_code == 200
        assert "Der Code ist nicht richtig" in text_of(wrong)
    refused = client.post(CODE_PAGE, data={"code": code_for(office)})
    assert refused.status_code == 429 and "zu viele falsche Codes" in text_of(refused)


def test_a_right_password_and_code_still_log_in_while_the_storage_is_gone(
    app, accounts, storage_gone
):
    client = app.test_client()
    response = client.post("/login", data={"email": accounts["office"], "password": PASSWORD})
    answer = client.post(response.headers["Location"], data={"code": code_for(accounts["office"])})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/office/users").status_code == 200
