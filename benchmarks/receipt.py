"""Benchmark: making the receipt (Eingangsbestätigung) for an application whose every text is
at its maximum length, and serving the stored receipt afterwards.

Prints seconds and pages of one build for two kinds of text (prose in paragraphs, and short
lines), then the time to serve the stored file through the app.

    .venv/bin/python benchmarks/receipt.py
"""

from __future__ import annotations

import io
import secrets
import tempfile
import time
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from seal_app import create_app
from seal_app.applications import services, submission
from seal_app.applications.models import (
    Application,
    ApplicationKind,
    CriterionAnswer,
    EvidenceFile,
    Vote,
    VoteKind,
)
from seal_app.applications.receipt import receipt_pdf
from seal_app.auth import passwords
from seal_app.auth.models import Role, User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.schools.models import Position, School, SchoolMembership, SchoolType
from seal_app.uploads.store import UploadBatch

PASSWORD = "Benchmark-Passwort-2026"
LIMITS = {"measures": 10000, "since": 100, "participants": 3000, "partners": 3000}
SENTENCE = "Die Schule übt regelmäßig, wertet jede Übung aus und passt das Konzept an. "


def prose(length: int) -> str:
    """Paragraphs of about 600 characters, exactly ``length`` characters in all."""
    text, paragraph = "", ""
    while len(text) < length:
        paragraph += SENTENCE
        if len(paragraph) > 600:
            text += paragraph.strip() + "\n\n"
            paragraph = ""
    return text[:length]


def short_lines(length: int) -> str:
    return ("Zeile mit Stichpunkt\n" * length)[:length]


def seed(app, make_text) -> int:
    with app.app_context():
        db.drop_all()
        db.create_all()
        school = School(
            school_number="79999",
            name="Staatliche Regionale Schule mit Grundschule „Am langen Namen“ " * 3,
            school_type=SchoolType.GRUNDSCHULE,
            street="Schulweg 1",
            postal_code="18273",
            town="Güstrow",
            school_authority="Stadt Güstrow",
            district="Landkreis Rostock",
        )
        user = User(
            email="schule@bench.invalid",
            name="Bench",
            role=Role.SCHOOL,
            password_hash=passwords.hash_password(PASSWORD),
        )
        user.memberships.append(SchoolMembership(school=school, position=Position.HEAD))
        db.session.add_all([school, user])
        round_ = create_round(2031, date(2031, 6, 30), "2026.1", None)
        application = Application(school=school, round=round_, kind=ApplicationKind.FIRST)
        db.session.add(application)
        for criterion in services.catalogue_of(application).criteria:
            application.answers.append(
                CriterionAnswer(
                    criterion_code=criterion.code,
                    self_rating=2,
                    **{name: make_text(limit) for name, limit in LIMITS.items()},
                )
            )
            for number in range(3):
                application.files.append(_file(criterion.code, number))
        for kind in VoteKind:
            document = _file(None, 0)
            application.files.append(document)
            application.votes.append(
                Vote(kind=kind, decided_on=date(2031, 3, 1), document=document)
            )
        db.session.commit()
        return application.id


def _file(code: str | None, number: int) -> EvidenceFile:
    return EvidenceFile(
        criterion_code=code,
        stored_name=secrets.token_hex(16),
        display_name=f"Nachweis-{code}-{number}-" + "x" * 150 + ".pdf",
        description=("Beschreibung des Nachweises " * 20)[:500],
        media_type="application/pdf",
        size=123456,
        sha256=secrets.token_hex(32),
    )


def build_once(app, application_id: int) -> tuple[float, int]:
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        catalogue = services.catalogue_of(application)
        start = time.perf_counter()
        data = receipt_pdf(application, catalogue, utcnow())
        seconds = time.perf_counter() - start
    return seconds, len(PdfReader(io.BytesIO(data)).pages)


def serve(app, application_id: int) -> tuple[float, float]:
    """Submit (which stores the receipt), then time downloading it through the app."""
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        with UploadBatch() as batch:
            start = time.perf_counter()
            submission.issue_receipt(application, batch, utcnow())
            application.submitted_at = utcnow()
            db.session.commit()
            issued = time.perf_counter() - start
    client = app.test_client()
    client.post("/login", data={"email": "schule@bench.invalid", "password": PASSWORD})
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        response = client.get(f"/applications/{application_id}/receipt.pdf")
        assert response.status_code == 200, response.status_code
        timings.append(time.perf_counter() - start)
    return issued, sorted(timings)[len(timings) // 2]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite'}",
                "SECRET_KEY": "bench",
                "UPLOAD_DIR": str(Path(folder) / "uploads"),
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 1024,
                "SESSION_COOKIE_SECURE": False,
                "WTF_CSRF_ENABLED": False,
            }
        )
        for name, make_text in (("prose", prose), ("short lines", short_lines)):
            application_id = seed(app, make_text)
            seconds, pages = build_once(app, application_id)
            print(f"{name:12} build: {seconds:6.2f} s, {pages} pages")
        issued, served = serve(app, application_id)
        print(
            f"issue at submission: {issued:.2f} s; serving the stored file: {served * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
