"""A production-like load: N people at once for S seconds against a served app with the demo
data, mixing school saves and uploads, assessor scoring, office lists and an export, public
verification; then a check that a login limit hit through one worker holds in the others.
Prints requests per second, p50/p95/p99 latency per kind, the answers refused by design
(a stale edit, a rate limit) and the errors (5xx, broken connections): the goal is none.

    python benchmarks/load.py --base http://127.0.0.1:8765 --password DEMO --users 50 --seconds 60

Run by ``make prod-check`` (benchmarks/prod_check.sh), which starts everything it needs.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import pyotp

from benchmarks.cpu_figures import CpuShares, parse_roots, server_timing
from benchmarks.demo_second_factor import SECRETS
from benchmarks.load_report import report

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d*)"')
THINK_SECONDS = (0.1, 0.5)
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Tally:
    """Latencies per kind of request, answers refused by design, and errors (shared)."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # per kind: (CPU ms, SQL statements) of each answer that carried Server-Timing
    timings: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self, kind: str, seconds: float, status: int, body: str, timing: str | None = None
    ) -> None:
        measured = server_timing(timing)
        with self.lock:
            self.seconds[kind].append(seconds)
            if measured is not None:
                self.timings[kind].append(measured)
            if status >= 500 or status == 0:
                self.errors.append(f"{kind}: {status} {body[:120]!r}")
            elif status in (409, 429) or "inzwischen" in body:
                self.refused[f"{kind} ({status})"] += 1


class Person:
    """One browser: its own cookies and User-Agent, redirects not followed."""

    def __init__(self, base: str, tally: Tally, name: str) -> None:
        self.base, self.tally = base, tally
        self.agent = f"Mozilla/5.0 (prod-check; {name})"
        self.use_cookies(http.cookiejar.CookieJar())

    def use_cookies(self, jar: http.cookiejar.CookieJar) -> None:
        self.jar = jar
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirects()
        )

    def open_tab_of(self, other: Person) -> None:
        """Act as another tab of ``other``'s browser: its cookies and its User-Agent (the app
        ends a session whose browser changes)."""
        self.agent = other.agent
        self.use_cookies(other.jar)

    def call(
        self, kind: str, path: str, data: dict | None = None, files: dict | None = None
    ) -> tuple[int, str]:
        headers = {"User-Agent": self.agent}
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        if files:
            body, headers["Content-Type"] = _multipart(data or {}, files)
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        started, timing = time.perf_counter(), None
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode(errors="replace")
                timing = response.headers.get("Server-Timing")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            timing = error.headers.get("Server-Timing")
        except (OSError, http.client.HTTPException) as error:  # a connection that broke
            status, text = 0, repr(error)
        self.tally.add(kind, time.perf_counter() - started, status, text, timing)
        return status, text

    def login(self, email: str, password: str, totp_secret: str | None = None) -> None:
        """Log in; with ``totp_secret`` also the second step, typing the app's current code."""
        _status, page = self.call("login", "/login")
        status, _ = self.call(
            "login",
            "/login",
            {"csrf_token": _csrf(page), "email": email, "password": password},
        )
        if status != 302:
            raise SystemExit(f"login of {email} failed: {status}")
        if totp_secret is not None:
            self._second_step(email, pyotp.TOTP(totp_secret))

    def _second_step(self, email: str, app: pyotp.TOTP) -> None:
        """Type the current code; a code used a moment ago is refused (no replay), so a second
        login within the same half minute waits for the next code."""
        for _attempt in range(3):
            _status, page = self.call("login", "/login/code")
            status, _ = self.call(
                "login", "/login/code", {"csrf_token": _csrf(page), "code": app.now()}
            )
            if status == 302:
                return
            time.sleep(31 - time.time() % 30)
        raise SystemExit(f"second factor of {email} failed: {status}")


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    return match.group(1) if match else ""


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    body = "".join(parts).encode()
    for name, (filename, data) in files.items():
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


# --- what each kind of person does -----------------------------------------------------------


def school(person: Person, until: float) -> None:
    _, home = person.call("school home", "/")
    application = re.search(r'href="/applications/(\d+)"', home).group(1)
    _, overview = person.call("school overview", f"/applications/{application}")
    codes = sorted(set(re.findall(rf"/applications/{application}/criteria/([A-Z]\.\d+)", overview)))
    turn = 0
    while time.monotonic() < until:
        code = random.choice(codes)
        path = f"/applications/{application}/criteria/{code}"
        _, page = person.call("school criterion page", path)
        version = VERSION.search(page)
        form = {
            "csrf_token": _csrf(page),
            "version": version.group(1) if version else "",
            "self_rating": "2",
            "measures": f"Unsere Schule setzt das um (Stand {time.strftime('%H:%M:%S')}).",
        }
        if turn % 5 == 4:
            form["description_1"] = "Nachweis"
            person.call("school upload", path, form, {"file_1": ("Nachweis.pdf", SMALL_PDF)})
        else:
            person.call("school save", path, form)
        turn += 1
        _think()


def assessor(person: Person, until: float) -> None:
    _, home = person.call("assessor home", "/")
    assignments = sorted(set(re.findall(r'href="/review/(\d+)"', home)))
    while time.monotonic() < until:
        assignment = random.choice(assignments)
        status, overview = person.call("assessor overview", f"/review/{assignment}")
        codes = sorted(set(re.findall(rf"/review/{assignment}/criteria/([A-Z]\.\d+)", overview)))
        if status != 200 or not codes:
            _think()
            continue
        path = f"/review/{assignment}/criteria/{random.choice(codes)}"
        _, page = person.call("assessor scoring page", path)
        version = VERSION.search(page)
        if 'name="level"' in page:
            person.call(
                "assessor score",
                path,
                {
                    "csrf_token": _csrf(page),
                    "version": version.group(1) if version else "",
                    "level": str(random.randint(1, 3)),
                    "comment": "Gut belegt; die Nachweise sind aktuell.",
                },
            )
        _think()


OFFICE_PAGES = (
    ("office applications", "/office/applications/"),
    ("office schools", "/office/schools/"),
    ("office outbox", "/office/outbox"),
    ("office audit log", "/office/audit/"),
    ("office export", "/office/exports/schools?schulen-file_format=xlsx"),
)


def office(person: Person, until: float) -> None:
    while time.monotonic() < until:
        kind, path = random.choice(OFFICE_PAGES)
        person.call(kind, path)
        _think()


PUBLIC_PAGES = (
    ("public verify", "/verify/2025-001"),
    ("public list", "/siegelschulen"),
    ("public list csv", "/siegelschulen.csv"),
    ("public start", "/"),
    ("public catalogue", "/catalogue/"),
)


def public(person: Person, until: float) -> None:
    while time.monotonic() < until:
        kind, path = random.choice(PUBLIC_PAGES)
        person.call(kind, path)
        _think()


def _think() -> None:
    time.sleep(random.uniform(*THINK_SECONDS))


# --- the run ---------------------------------------------------------------------------------


ROLES = (
    (0.3, "schule@demo.invalid", school),
    (0.2, "gutachter@demo.invalid", assessor),
    (0.2, "buero@demo.invalid", office),
    (0.3, None, public),
)


def run(
    base: str, password: str, users: int, seconds: float, shares: CpuShares | None = None
) -> Tally:
    tally = Tally()
    people = []
    logged_in: dict[str, Person] = {}
    for number in range(users):
        email, behaviour = _role_of((number + 0.5) / users)
        person = Person(base, tally, f"person {number}")
        if email in logged_in:
            # An app shows one code per half minute and refuses it a second time: the people
            # sharing a login with a second factor share its session, as tabs of one browser.
            person.open_tab_of(logged_in[email])
        elif email:
            person.login(email, password, SECRETS.get(email))
            if email in SECRETS:
                logged_in[email] = person
        people.append((person, behaviour))
    tally.seconds.clear()  # the logins were setup, not load
    tally.timings.clear()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_guarded, args=(behaviour, person, until, tally))
        for person, behaviour in people
    ]
    started = time.monotonic()
    if shares is not None:
        shares.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.elapsed = time.monotonic() - started
    if shares is not None:
        shares.stop()
    return tally


def _role_of(share: float):
    """The role for the person at ``share`` (0..1) of the crowd, by the parts in ROLES."""
    cumulative = 0.0
    for part, email, behaviour in ROLES:
        cumulative += part
        if share <= cumulative:
            return email, behaviour
    return ROLES[-1][1:]


def _guarded(behaviour, person: Person, until: float, tally: Tally) -> None:
    try:
        behaviour(person, until)
    except Exception as error:  # a broken page shows as an error, not a silent thread
        with tally.lock:
            tally.errors.append(f"{behaviour.__name__}: {error!r}")


def shared_login_limit(base: str, attempts: int = 12) -> list[int]:
    """Wrong passwords for one account, each from a new connection (and so, likely, another
    gunicorn worker): with limits shared through Redis the sixth and later are refused."""
    answers = []
    for _ in range(attempts):
        person = Person(base, Tally(), "limit check")
        _, page = person.call("login", "/login")
        status, _ = person.call(
            "login",
            "/login",
            {"csrf_token": _csrf(page), "email": "gutachterin2@demo.invalid", "password": "falsch"},
        )
        answers.append(status)
    return answers


def shared_queue(base: str, password: str, seconds: float = 60) -> tuple[bool, bool]:
    """Work the web processes hand to the queue is done by the worker: a round's feedback
    letters printed, and a „Passwort vergessen?“ mail sent (read back as the office sees it)."""
    office = Person(base, Tally(), "queue check")
    office.login("buero@demo.invalid", password, SECRETS["buero@demo.invalid"])
    job = None
    for round_id in re.findall(
        r'href="/office/rounds/(\d+)/decisions"', office.call("q", "/office/rounds/")[1]
    ):
        page = office.call("q", f"/office/rounds/{round_id}/decisions")[1]
        if "Rückmeldungen drucken" in page:
            office.call(
                "q",
                f"/office/rounds/{round_id}/print",
                {"csrf_token": _csrf(page), "kind": "feedback"},
            )
            page = office.call("q", f"/office/rounds/{round_id}/decisions")[1]
            job = re.search(r'href="(/office/print-jobs/\d+)"', page).group(1)
            break
    visitor = Person(base, Tally(), "queue check")
    form = visitor.call("q", "/password/forgot")[1]
    visitor.call(
        "q", "/password/forgot", {"csrf_token": _csrf(form), "email": "schule@demo.invalid"}
    )
    printed = mailed = False
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (printed and mailed):
        printed = printed or (job is not None and "Fertig seit" in office.call("q", job)[1])
        outbox = office.call("q", "/office/outbox?status=sent")[1]
        mailed = mailed or "Neues Passwort für das Gütesiegel" in outbox
        time.sleep(0.5)
    return printed, mailed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--cpu-of",
        action="append",
        default=[],
        metavar="NAME=PID",
        help="a process tree whose CPU share of the run to report (e.g. gunicorn=<master pid>)",
    )
    arguments = parser.parse_args()
    shares = CpuShares(parse_roots(arguments.cpu_of))
    tally = run(arguments.base, arguments.password, arguments.users, arguments.seconds, shares)
    report(tally, arguments.users)
    for line in shares.lines(sum(len(values) for values in tally.seconds.values())):
        print(line)
    answers = shared_login_limit(arguments.base)
    shared = answers[:5].count(200) == 5 and set(answers[5:]) == {429}
    print(f"login limit across workers: {answers} -> {'shared' if shared else 'NOT shared'}")
    printed, mailed = shared_queue(arguments.base, arguments.password)
    print(f"through the Redis queue: round printed by the worker: {printed}; mail sent: {mailed}")
    if tally.errors or not (shared and printed and mailed):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
