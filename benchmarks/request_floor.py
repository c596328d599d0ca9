"""What one request costs the web worker at the least: one gunicorn worker on the SQLite demo,
one request after another (no other load, no waiting on others), its CPU milliseconds per
request for a few cheap paths, once per server setting. It separates what the framework and
the HTTP server cost from what a page costs (benchmarks/page_costs.py: in one process, without
HTTP). Usage:

    .venv/bin/python -m benchmarks.request_floor [--requests 2000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.cpu_figures import TICKS

PATHS = ("/healthz", "/siegelschulen.csv", "/")
SETTINGS = {  # name: (app, gunicorn options); ops/gunicorn.conf.py's threads make it gthread
    "bare Flask (one view), sync worker": ("bare_flask:app", ["-k", "sync"]),
    "seal_app, sync worker": ("seal_app:create_app()", ["-k", "sync"]),
    "seal_app, ops/gunicorn.conf.py": ("seal_app:create_app()", ["-c", "ops/gunicorn.conf.py"]),
}
BARE_FLASK = """from flask import Flask
app = Flask(__name__)
app.add_url_rule("/<path:path>", "any", lambda path: "ok")
app.add_url_rule("/", "home", lambda: "ok")
"""
PORT = 8797


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    count = parser.parse_args().requests
    with tempfile.TemporaryDirectory() as folder:
        environment = _demo(Path(folder))
        (Path(folder) / "bare_flask.py").write_text(BARE_FLASK)
        environment["PYTHONPATH"] = f"{folder}:{environment.get('PYTHONPATH', '')}"
        print(f"{'setting':36} " + " ".join(f"{path:>18}" for path in PATHS))
        for name, (app, options) in SETTINGS.items():
            costs = _serve_and_measure(environment, app, options, count)
            print(f"{name:36} " + " ".join(f"{cost:15.2f} ms" for cost in costs))
    print(f"worker CPU ms per request, {count} requests each, one after another")


def _demo(folder: Path) -> dict[str, str]:
    environment = dict(
        os.environ,
        SEAL_DATABASE_URL=f"sqlite:///{folder}/app.db",
        SEAL_SECRET_KEY="request-floor",
        SEAL_UPLOAD_DIR=str(folder / "uploads"),
        SEAL_PRINT_DIR=str(folder / "print"),
        SEAL_SIGNING_KEY_FILE=str(folder / "key.pem"),
        SEAL_SIGNING_CERT_FILE=str(folder / "cert.pem"),
        SEAL_DEMO_PASSWORD="Request-Floor-2026",
        SEAL_RATELIMIT_STORAGE_URI="memory://",
        PROMETHEUS_MULTIPROC_DIR=str(folder / "prometheus"),
    )
    (folder / "prometheus").mkdir()
    flask = [sys.executable, "-m", "flask", "--app", "seal_app"]
    for command in (["db", "upgrade"], ["seal", "demo"]):
        subprocess.run(flask + command, env=environment, check=True, capture_output=True)
    return environment


def _serve_and_measure(
    environment: dict[str, str], app: str, options: list[str], count: int
) -> list[float]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), *options, "-w", "1", "-b", f"127.0.0.1:{PORT}", app],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_server()
        worker = _worker_of(server.pid)
        return [_cost(worker, path, count) for path in PATHS]
    finally:
        server.terminate()
        server.wait()


def _cost(worker: int, path: str, count: int) -> float:
    for _ in range(50):  # warm: templates, the pool, the catalogue
        _get(path)
    before = _cpu_seconds(worker)
    for _ in range(count):
        _get(path)
    return (_cpu_seconds(worker) - before) / count * 1000


def _get(path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _wait_for_server() -> None:
    for _ in range(120):
        try:
            if _get("/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("gunicorn did not answer /healthz")


def _worker_of(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


if __name__ == "__main__":
    main()
