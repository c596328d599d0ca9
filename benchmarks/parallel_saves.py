"""Benchmark: ten people save the same criterion at the same time, against gunicorn -w 4.

Serves the app on 127.0.0.1 with a fresh SQLite database in a temporary folder (or the
database named by SEAL_DATABASE_URL, whose tables are then dropped and created again), with a
school, its staff member, an open round and the school's application. Ten sessions (each with
its own cookies and User-Agent, CSRF on as in production) read the criterion's form and save it
with the version they read, as fast as they can, for a fixed time. Prints the saves, the
refusals (stale-edit page with the typed text kept), the errors (5xx), anything else, the
requests per second, and whether the stored version counts every save (no lost update).

    PYTHONPATH=. .venv/bin/python benchmarks/parallel_saves.py [--seconds 15] [--sessions 10]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

PROJECT = Path(__file__).resolve().parents[1]
PASSWORD = "Benchmark-Passwort-2026"
EMAIL = "schule@bench.invalid"
CODE = "A.1"
STALE = "Jemand anderes hat dieses Kriterium inzwischen gespeichert"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(environment: dict[str, str]) -> int:
    """Tables and demo-like rows; returns the school's id."""
    os.environ.update(environment)
    from seal_app import create_app
    from seal_app.auth import passwords
    from seal_app.auth.models import Role, User
    from seal_app.extensions import db
    from seal_app.rounds.services import create_round
    from seal_app.schools.models import Position, School, SchoolMembership, SchoolType

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        school = School(
            school_number="75001",
            name="Grundschule am Wall",
            school_type=SchoolType.GRUNDSCHULE,
            street="Am Wall 3",
            postal_code="18273",
            town="Güstrow",
            school_authority="Stadt Güstrow",
            district="Landkreis Rostock",
        )
        user = User(
            email=EMAIL,
            name="Lena Leitung",
            role=Role.SCHOOL,
            password_hash=passwords.hash_password(PASSWORD),
        )
        user.memberships.append(SchoolMembership(school=school, position=Position.HEAD))
        db.session.add_all([school, user])
        create_round(date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None)
        db.session.commit()
        school_id = school.id
        db.engine.dispose()
    return school_id


def stored_version(database_url: str, application_id: int) -> int | None:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        version = connection.scalar(
            sa.text(
                "SELECT version FROM criterion_answers "
                "WHERE application_id = :id AND criterion_code = :code"
            ),
            {"id": application_id, "code": CODE},
        )
    engine.dispose()
    return version


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One person's browser: own cookies, one User-Agent, redirects not followed."""

    def __init__(self, base_url: str, number: int):
        self.base_url = base_url
        self.agent = f"Mozilla/5.0 (benchmark session {number})"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={"User-Agent": self.agent}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def form(self, path: str) -> dict[str, str]:
        """The hidden inputs (CSRF token, version) of the page's forms, first one of each name."""
        status, page, _location = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        values: dict[str, str] = {}
        for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                values.setdefault(name.group(1), value.group(1) if value else "")
        return values

    def login(self) -> None:
        token = self.form("/login")["csrf_token"]
        status, _page, _location = self.request(
            "/login", {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login refused: {status}")


def wait_until_served(base_url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def drive(base_url: str, school_id: int, sessions: int, seconds: float) -> tuple[Counter, int]:
    """Every session saves the criterion again and again; returns the outcome counts."""
    people = [Session(base_url, number) for number in range(sessions)]
    for person in people:
        person.login()
    token = people[0].form("/")["csrf_token"]
    status, _page, location = people[0].request(
        "/applications/start", {"csrf_token": token, "school_id": str(school_id)}
    )
    if status != 302:
        raise RuntimeError(f"starting the application failed: {status}")
    application_id = int(location.rstrip("/").rsplit("/", 1)[1])
    path = f"/applications/{application_id}/criteria/{CODE}"
    counts: Counter = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(number: int, person: Session) -> None:
        attempt = 0
        while time.monotonic() < stop:
            attempt += 1
            outcome = save_once(person, path, f"Fassung {number}-{attempt} der Massnahmen")
            with lock:
                counts[outcome] += 1
                counts["requests"] += 2  # the form read and the save

    threads = [threading.Thread(target=run, args=item) for item in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts, application_id


def save_once(person: Session, path: str, typed: str) -> str:
    try:
        hidden = person.form(path)
    except RuntimeError:
        return "errors"
    status, page, _location = person.request(
        path,
        {
            "csrf_token": hidden.get("csrf_token", ""),
            "version": hidden.get("version", ""),
            "self_rating": "2",
            "measures": typed,
            "since": "2019",
            "participants": "Kollegium",
            "partners": "Polizei",
            "action": "save",
        },
    )
    if status == 302:
        return "saves"
    if status in (200, 409) and STALE in page and typed in page:
        return "refusals"
    if status >= 500:
        return "errors"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--wsgi", default="seal_app:create_app()", help="gunicorn app spec")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        database_url = os.environ.get("SEAL_DATABASE_URL") or (
            f"sqlite:///{Path(folder) / 'seal.sqlite'}"
        )
        environment = {
            "SEAL_DATABASE_URL": database_url,
            "SEAL_SECRET_KEY": "benchmark-secret-key",
            "SEAL_UPLOAD_DIR": str(Path(folder) / "uploads"),
            "SEAL_PUBLIC_BASE_URL": base_url,
            "SEAL_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
        }
        school_id = seed(environment)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(arguments.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--error-logfile",
            str(Path(folder) / "gunicorn.log"),
            arguments.wsgi,
        ]
        process = subprocess.Popen(command, cwd=PROJECT, env={**os.environ, **environment})
        try:
            wait_until_served(base_url, process)
            started = time.monotonic()
            counts, application_id = drive(
                base_url, school_id, arguments.sessions, arguments.seconds
            )
            elapsed = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=30)
        version = stored_version(database_url, application_id) or 0
    database = database_url.split(":", 1)[0]
    print(
        f"{database}, gunicorn -w {arguments.workers}, {arguments.sessions} sessions, "
        f"{arguments.seconds:g} s"
    )
    print(f"saves:     {counts['saves']}")
    print(f"refusals:  {counts['refusals']} (stale-edit page, typed text kept)")
    print(f"errors:    {counts['errors']} (5xx)")
    print(f"other:     {counts['other']}")
    print(
        f"requests:  {counts['requests'] / elapsed:.1f} per second "
        f"({(counts['saves'] + counts['refusals']) / elapsed:.1f} saves or refusals per second)"
    )
    verdict = "every save counted" if version == counts["saves"] else "LOST UPDATES"
    print(f"stored version {version}: {verdict}")


if __name__ == "__main__":
    main()
