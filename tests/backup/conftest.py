"""Fixtures of the backup tests: stored files in a private upload folder, and a second,
empty instance (a fresh SQLite file, or a new database on the same PostgreSQL server)."""

from __future__ import annotations

import io
import secrets
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from seal_app import create_app
from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    EvidenceFile,
    Receipt,
)
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.uploads.store import UploadBatch, path_of


@dataclass
class Stored:
    """The stored files made for a test: relative path (``ab/ab12…``) to content."""

    files: dict[str, bytes]

    def path(self, index: int) -> str:
        return sorted(self.files)[index]


@pytest.fixture
def upload_dir(app, tmp_path) -> Iterator[Path]:
    """A private upload folder for the test (the session's one is shared with other tests)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    previous = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(folder)
    yield folder
    app.config["UPLOAD_DIR"] = previous


@pytest.fixture
def stored(app, make, upload_dir) -> Stored:
    """An awarded application with two evidence files, a receipt and a certificate."""
    school_id = make.school(number="75001", name="Grundschule am Wall")
    contents = {
        "evidence": b"%PDF-1.4 Notfallplan \xc3\xa4\xc3\xb6\xc3\xbc\n" * 50,
        "photo": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "receipt": b"%PDF-1.4 Eingangsbest\xc3\xa4tigung\n",
        "certificate": b"%PDF-1.4 Urkunde 2026-001\n" * 20,
    }
    files: dict[str, bytes] = {}
    with app.app_context(), UploadBatch() as batch:
        round_ = create_round(2026, date(2026, 6, 30), "2026.1", None)
        application = Application(
            school_id=school_id,
            round_id=round_.id,
            kind=ApplicationKind.FIRST,
            status=ApplicationStatus.AWARDED,
            submitted_at=utcnow(),
        )
        db.session.add(application)
        db.session.flush()
        saved = {
            key: batch.save_generated(data, f"{key}.pdf", "application/pdf")
            for key, data in contents.items()
        }
        for key in ("evidence", "photo"):
            db.session.add(
                EvidenceFile(
                    application_id=application.id,
                    criterion_code="A.1",
                    stored_name=saved[key].stored_name,
                    display_name=f"{key}.pdf",
                    media_type="application/pdf",
                    size=saved[key].size,
                    sha256=saved[key].sha256,
                )
            )
        receipt = saved["receipt"]
        db.session.add(
            Receipt(
                application_id=application.id,
                stored_name=receipt.stored_name,
                size=receipt.size,
                sha256=receipt.sha256,
            )
        )
        certificate = saved["certificate"]
        db.session.add(
            Certificate(
                number="2026-001",
                application_id=application.id,
                school_name="Grundschule am Wall",
                school_town="Güstrow",
                issued_on=date(2026, 11, 20),
                valid_until=date(2026, 11, 20) + timedelta(days=5 * 365),
                stored_name=certificate.stored_name,
                size=certificate.size,
                sha256=certificate.sha256,
            )
        )
        db.session.commit()
        for key, item in saved.items():
            relative = path_of(item.stored_name).relative_to(upload_dir).as_posix()
            files[relative] = contents[key]
    return Stored(files)


@pytest.fixture
def empty_instance(app, tmp_path) -> Iterator[Flask]:
    """A second app on an empty database and an empty upload folder."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    name = f"seal_restore_{secrets.token_hex(4)}"
    if url.startswith("sqlite"):
        target_url = f"sqlite:///{tmp_path / 'restored' / 'seal_app.sqlite'}"
        (tmp_path / "restored").mkdir()
    else:
        target_url = _create_database(url, name)
    second = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": target_url,
            "UPLOAD_DIR": str(tmp_path / "restored-uploads"),
            "PRINT_DIR": str(tmp_path / "restored-print"),
            "SIGNING_KEY_FILE": app.config["SIGNING_KEY_FILE"],
            "SIGNING_CERT_FILE": app.config["SIGNING_CERT_FILE"],
            "TASK_QUEUE_IMMEDIATE": True,
        }
    )
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()
    if not url.startswith("sqlite"):
        _drop_database(url, name)


def _server(url: str) -> sa.Engine:
    return sa.create_engine(
        sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )


def _create_database(url: str, name: str) -> str:
    engine = _server(url)
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str, name: str) -> None:
    engine = _server(url)
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy an archive member by member; ``change(name, data)`` returns new bytes, or None to
    leave the member out."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for info in original:
            data = original.extractfile(info).read()
            changed = change(info.name, data)
            if changed is None:
                continue
            info.size = len(changed)
            copy.addfile(info, io.BytesIO(changed))


def table_rows(flask_app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table of the app's database, in primary-key order."""
    rows = {}
    with flask_app.app_context():
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.c)
            rows[table.name] = [
                tuple(row) for row in db.session.execute(sa.select(table).order_by(*order))
            ]
        db.session.remove()
    return rows


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
