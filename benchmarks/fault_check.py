"""``make fault-check``: the production stack on loopback under load, one fault after another,
and afterwards every write the app acknowledged looked for in the database, the outbox and
the files. Prints: fault · acknowledged writes · found afterwards · lost · 5xx seen (of which
not the German error page, and connections broken without an answer) · seconds to recover.
Exit 1 if anything was lost, a part down answered with anything but the German page, a
connection broke where no process was killed, or the stored files do not match their rows.

    benchmarks/fault_check.sh            # the short form (CI): each fault once, small load
    FULL=1 benchmarks/fault_check.sh     # 30 s outages, the mail server gone 10 minutes

Run inside ``.ci/with-postgres`` (the script does that), as root (the upload folder is a
small tmpfs, filled for the full-disk fault).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from benchmarks.demo_second_factor import SECRETS, enrol_authenticator
from benchmarks.fault_load import MARKER, Load
from benchmarks.fault_stack import Stack
from benchmarks.load import Person, Tally, _csrf

FULL = bool(os.environ.get("FULL"))
OUTAGE = 30 if FULL else 10  # PostgreSQL and Redis gone
MAIL_OUTAGE = 600 if FULL else 45
PASSWORD = "Fault-Check-Demo-2026"
OFFICE_TOTP_SECRET = SECRETS["buero@demo.invalid"]  # the office types codes of this app


@dataclass
class Result:
    fault: str
    acknowledged: int
    found: int
    failures: int
    not_german: int
    broken: int  # connections that broke without an answer
    recovery: float | None
    note: str = ""
    breaks_connections: bool = False  # the fault kills the process that answers

    @property
    def lost(self) -> int:
        return self.acknowledged - self.found


class FaultCheck:
    def __init__(self, stack: Stack, load: Load, engine: sa.Engine, uploads: Path) -> None:
        self.stack, self.load, self.engine, self.uploads = stack, load, engine, uploads
        self.results: list[Result] = []

    # --- each fault ---------------------------------------------------------------------------

    def postgres_restart(self) -> None:
        self._begin("PostgreSQL neu gestartet")
        time.sleep(3)
        self.stack.pg_restart()
        self._end_after(time.monotonic())

    def postgres_gone(self) -> None:
        self._begin(f"PostgreSQL {OUTAGE} s weg")
        time.sleep(2)
        self.stack.pg_stop()
        time.sleep(OUTAGE)
        self.stack.pg_start()
        self._end_after(time.monotonic())

    def redis_gone(self) -> None:
        """Saves go on; a print job and mails asked for meanwhile are done afterwards."""
        name = f"Redis {OUTAGE} s weg"
        self._begin(name)
        time.sleep(2)
        self.stack.redis_stop()
        office = self._office()
        job = self._start_print(office, "feedback")
        mails = self._ask_for_mails(3)
        wrong = self._wrong_password()
        time.sleep(OUTAGE)
        self.stack.redis_start()
        restored = time.monotonic()
        printed = self._wait(lambda: self._job_state(job) == "done", 240)
        delivered = self._wait_for_mails(mails, 240)
        everything = printed is not None and delivered == sum(mails.values())
        recovery = time.monotonic() - restored if everything else None
        self._end_after(restored, extra_acknowledged=1 + sum(mails.values()))
        result = self.results[-1]
        result.found += int(printed is not None) + delivered
        result.recovery = recovery
        result.note = (
            f"Druck und {sum(mails.values())} Mails danach erledigt; währenddessen Büro mit "
            f"Passwort und Code angemeldet, Anmeldung mit falschem Passwort: {wrong}"
        )

    def mail_gone(self) -> None:
        self._begin(f"Mailserver {MAIL_OUTAGE} s weg")
        self.stack.smtp_stop()
        mails = self._ask_for_mails(5)
        time.sleep(MAIL_OUTAGE)
        self.stack.smtp_start()
        restored = time.monotonic()
        delivered = self._wait_for_mails(mails, 600 if FULL else 240)
        recovery = time.monotonic() - restored
        self._end_after(restored, extra_acknowledged=sum(mails.values()))
        result = self.results[-1]
        result.found += delivered
        result.recovery = recovery
        duplicates = self._duplicates(mails)
        result.note = f"doppelt zugestellt: {duplicates}"
        result.found -= duplicates  # a message sent twice counts as a fault too

    def worker_killed_while_printing(self) -> None:
        self._begin("Worker beim Drucken getötet (SIGKILL)")
        office = self._office()
        job = self._start_print(office, "certificates")
        self._wait(lambda: self._job_progress(job)[0] == "running", 60, step=0.02)
        self._wait(lambda: self._job_progress(job)[1] >= 1, 5, step=0.02)
        state, done, total = self._job_progress(job)
        self.stack.worker_kill()
        killed = time.monotonic()
        self.stack.worker_start()
        finished = self._wait(lambda: self._job_state(job) == "done", 400)
        self._end_after(killed, extra_acknowledged=1)
        result = self.results[-1]
        numbers, printed = self._certificates_check(job)
        result.found += int(finished is not None and printed)
        result.recovery = finished
        result.note = f"getötet bei {done} von {total} ({state}); Nummern: {numbers}"

    def disk_full(self) -> None:
        self._begin("Upload-Speicher voll")
        filler = self.uploads / "filler"
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={filler}", "bs=64k"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(OUTAGE)
        filler.unlink()
        self._end_after(time.monotonic())
        checked = self.stack.flask("seal", "check-files")
        result = self.results[-1]
        result.note = f"check-files: exit {checked.returncode}"
        if checked.returncode != 0:
            result.found = -1  # shown as lost: rows and files disagree
            print(checked.stdout, checked.stderr)

    def web_worker_killed(self) -> None:
        self._begin("gunicorn-Worker getötet (SIGKILL)")
        for _ in range(3):
            time.sleep(2)
            os.kill(self.stack.web_worker_pids()[0], 9)
        self._end_after(time.monotonic())
        self.results[-1].breaks_connections = True  # its own request cannot be answered

    # --- bookkeeping --------------------------------------------------------------------------

    def _begin(self, fault: str) -> None:
        print(f"… {fault}", flush=True)
        self.load.phase = fault
        self.started = time.monotonic()

    def _end_after(self, restored: float, extra_acknowledged: int = 0) -> None:
        """Wait for the first acknowledged save after ``restored``, a few seconds of normal
        load, then look for every save acknowledged during the fault."""
        recovered = self._wait(lambda: self.load.acknowledged_since(restored), 120)
        time.sleep(3)
        fault = self.load.phase
        self.load.phase = "between"
        time.sleep(1)
        writes = [write for write in self.load.writes if write.phase == fault]
        found = self._found(writes)
        failures = [item for item in self.load.failures if item.phase == fault]
        self.results.append(
            Result(
                fault,
                len(writes) + extra_acknowledged,
                found,
                len(failures),
                sum(item.status != 0 and not item.german_page for item in failures),
                sum(item.status == 0 for item in failures),
                recovered,
            )
        )

    def _found(self, writes) -> int:
        """A save is found when its criterion holds its text or a later one of the same
        writer (who alone saves that criterion); a file when its row and its file are there,
        with the bytes the row names."""
        with self.engine.connect() as connection:
            texts = dict(
                connection.execute(
                    sa.text(
                        "SELECT criterion_code, measures FROM criterion_answers "
                        "WHERE application_id = :id"
                    ),
                    {"id": self.load.application},
                ).all()
            )
            files = {
                MARKER.search(description).group(1): stored_name
                for description, stored_name in connection.execute(
                    sa.text(
                        "SELECT description, stored_name FROM evidence_files "
                        "WHERE description LIKE 'Nachweis FC#%'"
                    )
                )
            }
        found = 0
        for write in writes:
            stored = MARKER.search(texts.get(write.code, ""))
            ok = stored is not None and int(stored.group(1)) >= write.seq
            if write.with_file:
                name = files.get(str(write.seq))
                ok = ok and name is not None and (self.uploads / name[:2] / name).is_file()
            found += ok
        return found

    def _wait(self, condition, seconds: float, step: float = 0.5) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if condition():
                return round(time.monotonic() - started, 1)
            time.sleep(step)
        return None

    # --- the office, mails, print jobs --------------------------------------------------------

    def _office(self) -> Person:
        office = Person(self.stack.base, Tally(), "office")
        office.login("buero@demo.invalid", PASSWORD, OFFICE_TOTP_SECRET)
        return office

    def _start_print(self, office: Person, kind: str) -> int:
        with self.engine.connect() as connection:
            round_id = connection.scalar(
                sa.text("SELECT id FROM rounds WHERE year = :year"),
                {"year": time.localtime().tm_year - 1},
            )
        page = office.call("print", f"/office/rounds/{round_id}/decisions")[1]
        status, _ = office.call(
            "print",
            f"/office/rounds/{round_id}/print",
            {"csrf_token": _csrf(page), "kind": kind},
        )
        assert status == 302, f"print start answered {status}"
        with self.engine.connect() as connection:
            return connection.scalar(sa.text("SELECT max(id) FROM print_jobs"))

    def _job_progress(self, job: int) -> tuple[str, int, int]:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.text("SELECT state, done, total FROM print_jobs WHERE id = :id"), {"id": job}
            ).one()
        return row.state, row.done, row.total

    def _job_state(self, job: int) -> str:
        try:
            return self._job_progress(job)[0]
        except sa.exc.OperationalError:
            return "unknown"

    def _certificates_check(self, job: int) -> tuple[str, bool]:
        """Every certificate number of a year once, none skipped; the print's ZIP holds
        every certificate of the round that is not revoked, once."""
        import zipfile

        with self.engine.connect() as connection:
            numbers = list(  # issued by the app; seals imported from paper keep their own numbers
                connection.scalars(sa.text("SELECT number FROM certificates WHERE NOT imported"))
            )
            stem, round_id = connection.execute(
                sa.text("SELECT file_stem, round_id FROM print_jobs WHERE id = :id"), {"id": job}
            ).one()
            expected = connection.scalar(
                sa.text(
                    "SELECT count(*) FROM certificates c JOIN applications a "
                    "ON a.id = c.application_id WHERE a.round_id = :round "
                    "AND c.revoked_at IS NULL"
                ),
                {"round": round_id},
            )
        by_year: dict[str, list[int]] = {}
        for number in numbers:
            year, running = number.split("-")
            by_year.setdefault(year, []).append(int(running))
        gapless = all(
            sorted(values) == list(range(1, len(values) + 1)) for values in by_year.values()
        )
        archive = Path(os.environ["SEAL_PRINT_DIR"]) / f"{stem}.zip"
        members = zipfile.ZipFile(archive).namelist() if archive.exists() else []
        printed = len(members) == len(set(members)) == expected
        verdict = "lückenlos, keine doppelt" if gapless else f"FEHLER {sorted(numbers)}"
        return f"{verdict}; ZIP {len(members)} von {expected}", gapless and printed

    def _ask_for_mails(self, count: int) -> Counter[str]:
        """„Passwort vergessen?“ for the schools' heads: each acknowledged request is one
        message to that address."""
        with self.engine.connect() as connection:
            addresses = list(
                connection.scalars(
                    sa.text("SELECT email FROM users WHERE email LIKE 'leitung.%' ORDER BY id")
                )
            )[:count]
        asked: Counter[str] = Counter()
        for address in addresses:
            visitor = Person(self.stack.base, Tally(), "visitor")
            form = visitor.call("forgot", "/password/forgot")[1]
            status, page = visitor.call(
                "forgot", "/password/forgot", {"csrf_token": _csrf(form), "email": address}
            )
            if status == 200 and "Bitte sehen Sie in Ihr Postfach" in page:
                asked[address] += 1
            elif status >= 500 or status == 0:
                german = 'lang="de"' in page and "Traceback" not in page
                print(f"  „Passwort vergessen?“ answered {status} (German page: {german})")
        self.mail_baseline = Counter(self.stack.mailbox.recipients.values())
        return asked

    def _delivered(self, asked: Counter[str]) -> int:
        received = Counter(self.stack.mailbox.recipients.values()) - self.mail_baseline
        return sum(min(count, received[address]) for address, count in asked.items())

    def _duplicates(self, asked: Counter[str]) -> int:
        received = Counter(self.stack.mailbox.recipients.values()) - self.mail_baseline
        copies = sum(count - 1 for count in self.stack.mailbox.received.values() if count > 1)
        return copies + sum(max(0, received[a] - count) for a, count in asked.items())

    def _wait_for_mails(self, asked: Counter[str], seconds: float) -> int:
        self._wait(lambda: self._delivered(asked) == sum(asked.values()), seconds)
        return self._delivered(asked)

    def _wrong_password(self) -> str:
        person = Person(self.stack.base, Tally(), "wrong password")
        page = person.call("login", "/login")[1]
        status, body = person.call(
            "login",
            "/login",
            {"csrf_token": _csrf(page), "email": "gutachter@demo.invalid", "password": "falsch"},
        )
        if status < 500:
            return str(status)
        german = 'lang="de"' in body
        return f"{status} ({'deutsche Seite' if german else 'KEINE deutsche Seite'})"


def report(results: list[Result]) -> bool:
    print()
    header = f"{'Fehler':<40} {'bestätigt':>9} {'gefunden':>9} {'verloren':>9} {'5xx':>5}"
    print(header + f" {'ohne dt. Seite':>14} {'abgebrochen':>11} {'s bis erholt':>12}")
    ok = True
    for item in results:
        recovery = "—" if item.recovery is None else f"{item.recovery:.1f}"
        print(
            f"{item.fault:<40} {item.acknowledged:>9} {max(item.found, 0):>9} {item.lost:>9} "
            f"{item.failures:>5} {item.not_german:>14} {item.broken:>11} {recovery:>12}"
        )
        if item.note:
            print(f"{'':<4}{item.note}")
        ok = ok and item.lost == 0 and item.recovery is not None and item.not_german == 0
        ok = ok and (item.broken == 0 or item.breaks_connections)
    return ok


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="fault-check-"))
    uploads = folder / "uploads"
    uploads.mkdir()
    stack = Stack(
        folder,
        *(
            int(os.environ.get(name, default))
            for name, default in (("WEB_PORT", 8775), ("REDIS_PORT", 6395), ("SMTP_PORT", 8035))
        ),
    )
    configure(stack, folder, uploads)
    load = None
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(uploads)], check=True
        )
        stack.redis_start()
        stack.smtp_start()
        for command in (("db", "upgrade"), ("seal", "demo")):
            done = stack.flask(*command)
            assert done.returncode == 0, done.stderr
        award_more_schools()
        stack.worker_start()
        stack.web_start()
        load = Load(stack.base, PASSWORD)
        load.start(writers=6 if FULL else 3, readers=6 if FULL else 2)
        time.sleep(3)
        check = FaultCheck(
            stack,
            load,
            sa.create_engine(os.environ["SEAL_DATABASE_URL"], pool_pre_ping=True),
            uploads,
        )
        for fault in (
            check.postgres_restart,
            check.postgres_gone,
            check.redis_gone,
            check.mail_gone,
            check.worker_killed_while_printing,
            check.disk_full,
            check.web_worker_killed,
        ):
            fault()
        load.stop()
        ok = report(check.results)
        for sample in load.samples:
            print("  not the German page:", sample)
        ok = ok and not load.samples and logs_are_clean(folder)
        print("fault-check:", "0 verloren" if ok else "FEHLER")
        return 0 if ok else 1
    finally:
        if load is not None:
            load.stop()
        stack.stop_all()
        subprocess.run(["umount", str(uploads)], check=False)


def configure(stack: Stack, folder: Path, uploads: Path) -> None:
    environment = {
        "SEAL_DATABASE_URL": os.environ["SEAL_TEST_DATABASE_URL"],
        "SEAL_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{stack.redis_port}/0",
        "SEAL_TASK_QUEUE_URL": f"redis://127.0.0.1:{stack.redis_port}/1",
        "SEAL_MAIL_SERVER": "127.0.0.1",
        "SEAL_MAIL_PORT": str(stack.smtp_port),
        "SEAL_MAIL_USE_TLS": "false",
        "SEAL_MAIL_TIMEOUT_SECONDS": "5",
        "SEAL_MAIL_RETRY_PAUSE_SECONDS": "60" if FULL else "5",
        "SEAL_MAIL_MAX_ATTEMPTS": "20",
        "SEAL_PRINT_JOB_LEASE_SECONDS": "120" if FULL else "15",
        "SEAL_RESET_LIMIT_PER_ADDRESS": "1000 per hour",
        "SEAL_RESET_MAILS_PER_ACCOUNT_PER_HOUR": "1000",
        "SEAL_PUBLIC_BASE_URL": stack.base,
        "SEAL_SECRET_KEY": f"fault-check-{os.getpid()}-{time.time()}",
        "SEAL_UPLOAD_DIR": str(uploads),
        "SEAL_PRINT_DIR": str(folder / "print"),
        "SEAL_SIGNING_KEY_FILE": str(folder / "signing" / "key.pem"),
        "SEAL_SIGNING_CERT_FILE": str(folder / "signing" / "cert.pem"),
        "SEAL_CREDENTIAL_KEY_DIR": str(folder / "credential-keys"),
        "SEAL_DEMO_PASSWORD": PASSWORD,
    }
    os.environ.update(environment)


def award_more_schools() -> None:
    """Last year's round gets a certificate for every demo school without an application
    there, so that printing it takes long enough to be interrupted."""
    from seal_app import create_app, demo_seals
    from seal_app.auth.models import Role, User
    from seal_app.certificates.models import Outcome
    from seal_app.extensions import db
    from seal_app.local_time import local_today
    from seal_app.schools.models import School
    from seal_app.uploads.store import UploadBatch

    app = create_app({"LOG_FORMAT": "plain"})
    with app.app_context():
        office = db.session.scalar(sa.select(User).where(User.role == Role.OFFICE))
        enrol_authenticator(office, OFFICE_TOTP_SECRET)  # the office logs in with a code
        round_ = demo_seals._closed_round(local_today().year - 1)
        decided_on = local_today().replace(month=1, day=15)
        with UploadBatch() as batch:
            for school in db.session.scalars(sa.select(School).order_by(School.school_number)):
                demo_seals._decided(
                    school.school_number, round_, Outcome.AWARDED, 2, decided_on, office, batch
                )
            db.session.commit()


def logs_are_clean(folder: Path) -> bool:
    """No e-mail address, password or one-time link in any log line of the run."""
    leaks = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|/password/set/[A-Za-z0-9_-]{8}|Fault-Check-Demo")
    clean = True
    for name in ("gunicorn.log", "worker.log"):
        for line in (folder / name).read_text(errors="replace").splitlines():
            if leaks.search(line):
                print(f"  personal data or a secret in {name}: {line[:200]}")
                clean = False
    return clean


if __name__ == "__main__":
    sys.exit(main())
