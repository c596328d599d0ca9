"""The production stack on loopback for ``make fault-check``, each part startable, stoppable
and killable on its own: PostgreSQL (from ``.ci/with-postgres``), Redis, an SMTP server that
counts what it receives, the Huey worker and gunicorn with 4 workers."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

VENV = Path(os.environ.get("VENV", ".venv"))
PYTHON = str(VENV / "bin" / "python")
FLASK = [PYTHON, "-m", "flask", "--app", "seal_app"]


class Mailbox:
    """The SMTP server's side: every message received, by Message-ID and recipient."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.recipients: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.received[message["Message-ID"]] += 1
            self.recipients[message["Message-ID"]] = ",".join(envelope.rcpt_tos)
        return "250 OK"


class Stack:
    def __init__(self, folder: Path, web_port: int, redis_port: int, smtp_port: int) -> None:
        self.folder, self.web_port = folder, web_port
        self.redis_port, self.smtp_port = redis_port, smtp_port
        self.base = f"http://127.0.0.1:{web_port}"
        self.mailbox = Mailbox()
        self.smtp: Controller | None = None
        self.worker: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.pg_data = Path(os.environ["SEAL_TEST_PG_DATA"])
        self.pg_bin = Path(os.environ["SEAL_TEST_PG_BIN"])
        self.pg_options = _postmaster_options(self.pg_data)

    # --- PostgreSQL ---------------------------------------------------------------------------

    def _pg_ctl(self, *args: str) -> None:
        command = [str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def pg_restart(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "restart")

    def pg_stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def pg_start(self) -> None:
        log = self.pg_data.parent / "server.log"
        self._pg_ctl("-w", "-l", str(log), "-o", self.pg_options, "start")

    # --- Redis --------------------------------------------------------------------------------

    def redis_start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.folder / "redis.pid"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _wait(lambda: _answers_ping(self.redis_port), "Redis")

    def redis_stop(self) -> None:
        pidfile = self.folder / "redis.pid"
        pid = int(pidfile.read_text())
        os.kill(pid, signal.SIGTERM)
        _wait(lambda: not _alive(pid), "Redis to stop")

    # --- SMTP ---------------------------------------------------------------------------------

    def smtp_start(self) -> None:
        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def smtp_stop(self) -> None:
        if self.smtp:
            self.smtp.stop()
            self.smtp = None

    # --- the Huey worker and gunicorn ---------------------------------------------------------

    def worker_start(self) -> None:
        log = (self.folder / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [*FLASK, "seal", "worker", "--workers", "2"], stdout=log, stderr=log
        )

    def worker_kill(self) -> None:
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait()

    def web_start(self) -> None:
        log = (self.folder / "gunicorn.log").open("ab")
        environment = dict(os.environ, SEAL_BIND=f"127.0.0.1:{self.web_port}")
        environment["PROMETHEUS_MULTIPROC_DIR"] = str(self.folder / "prometheus")
        self.web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "ops/gunicorn.conf.py", "seal_app:create_app()"],
            stdout=log,
            stderr=log,
            env=environment,
        )
        _wait(lambda: _http_ok(self.base + "/healthz"), "gunicorn", 300)

    def web_worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def stop_all(self) -> None:
        for process in (self.web, self.worker):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.smtp_stop()
        if (self.folder / "redis.pid").exists():
            with contextlib.suppress(OSError, ValueError, TimeoutError):
                self.redis_stop()

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*FLASK, *args], capture_output=True, text=True)


def _postmaster_options(data: Path) -> str:
    """The options PostgreSQL was started with (``postmaster.opts``), for a start after a
    stop: everything after the data folder."""
    words = shlex.split((data / "postmaster.opts").read_text())
    options = words[1:]
    if "-D" in options:
        index = options.index("-D")
        del options[index : index + 2]
    return shlex.join(options)


def _wait(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"waited {seconds} s for {what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _answers_ping(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
