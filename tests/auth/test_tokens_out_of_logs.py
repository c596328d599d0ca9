"""One-time password links keep their token out of the logs: the link's page moves it into
the session and goes on to an address without it, and the request log hides it anyway."""

from __future__ import annotations

import http.cookiejar
import logging
import threading
import urllib.parse
import urllib.request

import pytest
from werkzeug.serving import make_server

from tests.auth.test_passwords import NEW_PASSWORD, _issue_link
from tests.conftest import login


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def served(app, monkeypatch):
    """The app on loopback with its request log captured."""
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", False)
    log = _Lines()
    werkzeug_log = logging.getLogger("werkzeug")
    werkzeug_log.addHandler(log)
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.INFO)  # setLevel: a level set as attribute keeps old answers
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", log.lines
    server.shutdown()
    thread.join(timeout=5)
    werkzeug_log.removeHandler(log)
    werkzeug_log.setLevel(level)


def test_the_set_password_link_leaves_no_token_in_the_log_or_the_address(
    app, client, accounts, make, served
):
    base, logged = served
    email, path = _issue_link(client, accounts, make)
    token = path.rsplit("/", 1)[1]
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    page = browser.open(base + path)
    assert page.status == 200 and token not in page.url
    assert "Passwort festlegen" in page.read().decode()
    form = urllib.parse.urlencode(
        {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    ).encode()
    done = browser.open(page.url, data=form)
    assert done.status == 200 and "/login" in done.url
    assert login(app.test_client(), email, NEW_PASSWORD).status_code == 302

    requests = [line for line in logged if "HTTP/1.1" in line]
    assert any("/password/set" in line for line in requests), logged
    assert not [line for line in requests if token in line]


def test_a_token_in_any_logged_request_line_is_hidden(served):
    base, logged = served
    token = "Abc123-secret_token"
    opener = urllib.request.build_opener()
    for path in (f"/password/set/{token}", f"/password/set/{token}?x=1"):
        try:
            opener.open(base + path)
        except urllib.error.HTTPError as error:
            assert error.code == 404
    requests = [line for line in logged if "/password/set/" in line]
    assert len(requests) == 2 and not [line for line in requests if token in line]
