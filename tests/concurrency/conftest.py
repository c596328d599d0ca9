"""The app served on 127.0.0.1 in a thread, and plain HTTP sessions that use it at the same time.

The test app has CSRF off, so a session only logs in and sends forms.
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from werkzeug.serving import make_server

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from tests import two_factor
from tests.conftest import PASSWORD


@pytest.fixture(scope="session")
def _server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def served_app(app, _server, monkeypatch) -> str:
    """The base URL; the test server speaks plain http on loopback, so cookies are not Secure."""
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", False)
    return _server


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    body: str
    location: str


class HttpSession:
    """One person's browser: its own cookies, one User-Agent, redirects not followed."""

    def __init__(self, base_url: str, name: str):
        self.base_url = base_url
        self.agent = f"Mozilla/5.0 (parallel test; {name})"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def request(
        self, path: str, data: dict | None = None, files: dict[str, tuple[str, bytes]] | None = None
    ) -> Answer:
        """GET, or POST ``data`` (multipart when ``files`` maps field names to (name, bytes))."""
        headers = {"User-Agent": self.agent}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        if files:
            body, headers["Content-Type"] = _multipart(data or {}, files)
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.read().decode(), "")
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), error.headers.get("Location", ""))

    def login(self, email: str) -> None:
        answer = self.request("/login", {"email": email, "password": PASSWORD})
        assert answer.status == 302, answer.body
        if urllib.parse.urlsplit(answer.location).path == two_factor.CODE_PAGE:
            answer = self.request(answer.location, two_factor.second_step(email))
            assert answer.status == 302, answer.body

    def hidden_value(self, path: str, name: str) -> str:
        """The value of the hidden input ``name`` on the page at ``path`` ('' if empty)."""
        page = self.request(path)
        assert page.status == 200, page.status
        match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page.body)
        assert match, f"no input {name} on {path}"
        value = re.search(r'value="([^"]*)"', match.group(0))
        return value.group(1) if value else ""


def _multipart(data: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----seal{secrets.token_hex(8)}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def school_setup(app, make) -> tuple[int, int, str, str]:
    """A school with one staff member, an open round, and an office user: (school id, round id,
    staff e-mail, office e-mail)."""
    school_id = make.school(number="75001", name="Grundschule am Wall")
    staff = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_id,))
    office = make.user(Role.OFFICE, "buero@example.org")
    with app.app_context():
        round_ = create_round(
            date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None
        )
        db.session.commit()
        round_id = round_.id
    return school_id, round_id, staff, office


def send_together(sessions: list[HttpSession], send_one) -> tuple[list[Answer], list[str]]:
    """Every session sends (``send_one(session)``) at the same moment, behind a barrier; the
    answers, and the exceptions as text (reported by the test, not lost in a thread)."""
    barrier = threading.Barrier(len(sessions))
    answers: list[Answer] = []
    errors: list[str] = []
    lock = threading.Lock()

    def send(session: HttpSession) -> None:
        try:
            barrier.wait(timeout=60)
            answer = send_one(session)
        except Exception as error:
            with lock:
                errors.append(repr(error))
            return
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers, errors
