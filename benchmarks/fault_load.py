"""The load of ``make fault-check``: people saving criterion texts (and every third time an
evidence file) with a unique marker each, and visitors reading public pages. Every save the
app acknowledged (a redirect after the POST) is recorded with its marker, so that it can be
looked for afterwards; every answer of 500 or more, and every broken connection, is counted
with the fault that was going on."""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field

from benchmarks.load import SMALL_PDF, VERSION, Person, Tally, _csrf

MARKER = re.compile(r"FC#(\d+)#")


@dataclass
class Write:
    phase: str
    seq: int
    code: str
    with_file: bool
    acknowledged_at: float


@dataclass
class Failure:
    phase: str
    status: int  # 0: the connection broke without an answer
    german_page: bool


@dataclass
class Load:
    base: str
    password: str
    phase: str = "start"
    uploads: bool = True
    writes: list[Write] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    application: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _sequence: itertools.count = field(default_factory=lambda: itertools.count(1))

    def start(self, writers: int, readers: int) -> None:
        people = [self._person(f"writer {n}", "schule@demo.invalid") for n in range(writers)]
        home = people[0].call("setup", "/")[1]
        self.application = int(re.search(r'href="/applications/(\d+)"', home).group(1))
        overview = people[0].call("setup", f"/applications/{self.application}")[1]
        codes = sorted(
            set(re.findall(rf"/applications/{self.application}/criteria/([A-Z]\.\d+)", overview))
        )
        for number, person in enumerate(people):
            own = codes[number::writers]  # nobody else saves these: no refusals by design
            self._spawn(self._write, person, own)
        for number in range(readers):
            self._spawn(self._read, self._person(f"reader {number}", None))

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def acknowledged_since(self, moment: float) -> bool:
        with self.lock:
            return any(write.acknowledged_at > moment for write in self.writes)

    def _person(self, name: str, email: str | None) -> Person:
        person = Person(self.base, _Counting(self), name)
        if email:
            person.login(email, self.password)
        return person

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _write(self, person: Person, codes: list[str]) -> None:
        for turn in itertools.count():
            if self._stop.is_set():
                return
            code = codes[turn % len(codes)]
            path = f"/applications/{self.application}/criteria/{code}"
            status, page = person.call("page", path)
            if status != 200:
                time.sleep(0.5)
                continue
            seq = next(self._sequence)
            version = VERSION.search(page)
            form = {
                "csrf_token": _csrf(page),
                "version": version.group(1) if version else "",
                "self_rating": "2",
                "measures": f"Unsere Schule setzt das um (FC#{seq}#).",
            }
            with_file = self.uploads and turn % 3 == 2
            phase = self.phase
            if with_file:
                form["description_1"] = f"Nachweis FC#{seq}#"
                data = SMALL_PDF + f"% FC#{seq}#\n".encode()
                status, _ = person.call("upload", path, form, {"file_1": ("Nachweis.pdf", data)})
            else:
                status, _ = person.call("save", path, form)
            if status == 302:
                with self.lock:
                    self.writes.append(Write(phase, seq, code, with_file, time.monotonic()))
            time.sleep(0.2)

    def _read(self, person: Person) -> None:
        pages = ("/", "/siegelschulen", "/catalogue/", "/verify/2025-001")
        for turn in itertools.count():
            if self._stop.is_set():
                return
            person.call("read", pages[turn % len(pages)])
            time.sleep(0.3)


class _Counting(Tally):
    """The load's tally: answers of 500 or more and broken connections, with the phase, and
    whether the answer was the German error page (never a traceback)."""

    def __init__(self, load: Load) -> None:
        super().__init__()
        self.load = load

    def add(
        self, kind: str, seconds: float, status: int, body: str, timing: str | None = None
    ) -> None:
        if status < 500 and status != 0:
            return
        german = 'lang="de"' in body and "Traceback" not in body
        with self.load.lock:
            self.load.failures.append(Failure(self.load.phase, status, german))
            if status != 0 and not german and len(self.load.samples) < 10:
                self.load.samples.append(f"{self.load.phase} {kind}: {status} {body[:200]!r}")
