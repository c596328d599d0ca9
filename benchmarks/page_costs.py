"""The CPU milliseconds and SQL statements of the main page of every role, in one process on
the demo district (its ``Server-Timing`` header, see seal_app/operations/server_timing.py):
a quieter figure than a load run on a shared machine.

    .venv/bin/python -m benchmarks.page_costs [--requests 30]   (SEAL_DATABASE_URL: PostgreSQL)

tests/operations/test_statements_per_page.py logs in and finds the pages the same way.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
from pathlib import Path

from flask import Flask

from benchmarks.cpu_figures import server_timing
from seal_app import create_app
from seal_app.certificates.signing import make_self_signed
from seal_app.extensions import db
from tests.conftest import login
from tests.two_factor import set_up_app_at_first_login

PASSWORD = "Demo-Passwort-fuer-Tests"


def people(app: Flask) -> dict[str, object]:
    """A logged-in test client per role of the demo (the office and the jury set up their
    second factor on the way), and one for the public."""
    school, assessor, office = app.test_client(), app.test_client(), app.test_client()
    login(school, "schule@demo.invalid", PASSWORD)
    set_up_app_at_first_login(assessor, "gutachter@demo.invalid", PASSWORD)
    set_up_app_at_first_login(office, "buero@demo.invalid", PASSWORD)
    return {"school": school, "assessor": assessor, "office": office, "public": app.test_client()}


def main_pages(clients: dict) -> dict[tuple[str, str], str]:
    """(role, page) → path: the pages each role opens most."""
    school_home = clients["school"].get("/").get_data(as_text=True)
    application = re.search(r'href="/applications/(\d+)"', school_home).group(1)
    assessor_home = clients["assessor"].get("/").get_data(as_text=True)
    assignment = re.search(r'href="/review/(\d+)"', assessor_home).group(1)
    listed = clients["public"].get("/siegelschulen").get_data(as_text=True)
    number = re.search(r"\b(20\d\d-\d{3})\b", listed).group(1)
    return {
        ("school", "home"): "/",
        ("school", "overview"): f"/applications/{application}",
        ("school", "criterion page"): f"/applications/{application}/criteria/A.1",
        ("assessor", "home"): "/",
        ("assessor", "overview"): f"/review/{assignment}",
        ("assessor", "scoring page"): f"/review/{assignment}/criteria/A.1",
        ("office", "home"): "/",
        ("office", "applications"): "/office/applications/",
        ("office", "schools"): "/office/schools/",
        ("office", "outbox"): "/office/outbox",
        ("office", "audit log"): "/office/audit/",
        ("public", "start"): "/",
        ("public", "list"): "/siegelschulen",
        ("public", "verification"): f"/verify/{number}",
        ("public", "catalogue"): "/catalogue/",
    }


def demo_app(folder: Path) -> Flask:
    """An app with the demo district in ``folder`` (or in SEAL_DATABASE_URL's database),
    answering with Server-Timing."""
    key_file, cert_file = folder / "key.pem", folder / "cert.pem"
    make_self_signed(key_file, cert_file, "Gütesiegel Messung")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ.get("SEAL_DATABASE_URL")
            or f"sqlite:///{folder / 'seal.sqlite'}",
            "SIGNING_KEY_FILE": str(key_file),
            "SIGNING_CERT_FILE": str(cert_file),
            "SECRET_KEY": "page-costs",
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "PRINT_DIR": str(folder / "print"),
            "CREDENTIAL_KEY_DIR": str(folder / "credential-keys"),
            "TASK_QUEUE_IMMEDIATE": True,
            "SERVER_TIMING": True,
            "VERIFY_LIMIT_PER_ADDRESS": "100000 per minute",  # one address asks many times
            "LOG_FORMAT": "plain",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    os.environ["SEAL_DEMO_PASSWORD"] = PASSWORD
    result = app.test_cli_runner().invoke(args=["seal", "demo"])
    assert result.exit_code == 0, result.output
    return app


def costs(clients: dict, pages: dict, requests: int) -> dict[tuple[str, str], tuple[float, int]]:
    """(mean CPU ms, most SQL statements) per page over ``requests`` requests after two more."""
    figures = {}
    for (role, page), path in pages.items():
        measured = []
        for _ in range(requests + 2):
            response = clients[role].get(path)
            assert response.status_code == 200, (role, page, response.status_code)
            measured.append(server_timing(response.headers.get("Server-Timing")))
        measured = measured[2:]
        cpu = statistics.median(ms for ms, _ in measured)
        figures[(role, page)] = (cpu, max(count for _, count in measured))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        clients = people(app)
        figures = costs(clients, main_pages(clients), arguments.requests)
    print(f"{'page':<32} {'CPU ms':>7} {'SQL':>4}")
    for (role, page), (cpu, count) in figures.items():
        print(f"{role + ' ' + page:<32} {cpu:>7.1f} {count:>4}")
    total = sum(cpu for cpu, _ in figures.values()) / len(figures)
    print(f"{'mean':<32} {total:>7.1f} {statistics.fmean(c for _, c in figures.values()):>4.1f}")


if __name__ == "__main__":
    main()
