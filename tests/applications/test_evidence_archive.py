"""All evidence of an application as one ZIP: folders, names, Inhalt.txt, who may download
it, and the large archive made by the task queue for the person who asked."""

from __future__ import annotations

import hashlib
import time
import unicodedata
from datetime import timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications import archive_jobs
from seal_app.applications.archive_models import EvidenceArchive
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import ConflictState
from tests.applications.archive_setup import VOTE_NAME, build_archived, open_zip
from tests.conftest import text_of
from tests.reviews.scoring_setup import client_of
from tests.task_queue import real_queue

A1 = "A.1 Sicherheits- und Krisenkonzept"
A2 = "A.2 Notfall- und Räumungspläne, Übungen"
B1 = "B.1 Programme zur Gewaltprävention"
VOTES = "Voten und Zustimmungen"
EXPECTED = {
    f"{A1}/Konzept.pdf",
    f"{A1}/Plakat.png",
    f"{A2}/_._etc_passwd.pdf",
    f"{A2}/_CON.pdf",
    f"{A2}/a_b.pdf",
    f"{A2}/{'x' * 96}.pdf",
    f"{A2}/Plan.pdf",
    f"{A2}/Plan (2).pdf",
    f"{A2}/plan (3).PDF",
    f"{B1}/Übung Räumung – Größe.pdf",
    f"{B1}/Plan.pdf",
    f"{VOTES}/{VOTE_NAME}",
    "Inhalt.txt",
}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10))}


def _zip_of(app, email: str, application_id: int):
    response = client_of(app, email).get(f"/applications/{application_id}/evidence.zip")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    return response


def test_folders_per_criterion_with_safe_unique_names(app, make):
    archived = build_archived(app, make)
    response = _zip_of(app, archived.scoring.assessor, archived.scoring.application_id)

    disposition = response.headers["Content-Disposition"]
    assert "attachment" in disposition and "-75001-Grundschule-am-Wall.zip" in disposition
    archive = open_zip(response.data)
    assert set(archive.namelist()) == EXPECTED
    for member in archive.infolist():
        *folders, name = member.filename.split("/")
        assert len(folders) <= 1 and ".." not in member.filename and "\\" not in member.filename
        assert name.split(".")[0].upper() not in WINDOWS_RESERVED
        assert len(name) <= 100 and unicodedata.is_normalized("NFC", member.filename)
        if not member.filename.isascii():
            assert member.flag_bits & 0x800, f"{member.filename}: UTF-8 flag"
        assert not any(unicodedata.category(char) == "Cc" for char in member.filename)
    assert archive.testzip() is None


def test_inhalt_lists_every_file_with_its_true_size_and_sha256(app, make):
    archived = build_archived(app, make)
    archive = open_zip(_zip_of(app, archived.scoring.office, archived.scoring.application_id).data)

    raw = archive.read("Inhalt.txt")
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    text = raw.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", ""), "CRLF line ends only"
    lines = text.split("\r\n")
    assert "Grundschule am Wall (Schulnummer 75001)" in lines[0]
    header = lines.index("Kriterium\tDatei im ZIP-Archiv\tOriginalname\tGröße (Bytes)\tSHA-256")
    rows = [line.split("\t") for line in lines[header + 1 :] if line]
    assert {row[1] for row in rows} == EXPECTED - {"Inhalt.txt"}
    for _criterion, path, _original, size, sha256 in rows:
        data = archive.read(path)
        assert int(size) == len(data), path
        assert sha256 == hashlib.sha256(data).hexdigest(), path
    by_path = {row[1]: row for row in rows}
    assert by_path[f"{A2}/_._etc_passwd.pdf"][2] == "../../etc/passwd"
    assert by_path[f"{A2}/_._etc_passwd.pdf"][0] == "A.2 Notfall- und Räumungspläne, Übungen"
    assert by_path[f"{VOTES}/{VOTE_NAME}"][0] == "Votum: Beschluss der Schulkonferenz"


def test_a_stored_hash_missing_is_computed_while_copying(app, make):
    archived = build_archived(app, make)
    with app.app_context():
        from seal_app.applications.models import EvidenceFile

        db.session.execute(sa.update(EvidenceFile).values(sha256=""))
        db.session.commit()
    archive = open_zip(_zip_of(app, archived.scoring.office, archived.scoring.application_id).data)
    rows = [
        line.split("\t")
        for line in archive.read("Inhalt.txt").decode("utf-8-sig").split("\r\n")[4:]
        if line
    ]
    assert rows and all(row[4] == hashlib.sha256(archive.read(row[1])).hexdigest() for row in rows)


def test_who_may_download(app, make):
    archived = build_archived(app, make)
    scoring = archived.scoring
    other_school = make.school(number="75002", name="Regionale Schule Heidberg")
    other_staff = make.user(Role.SCHOOL, "heidberg@example.org", school_ids=(other_school,))
    url = f"/applications/{scoring.application_id}/evidence.zip"

    for email in (scoring.office, scoring.assessor, scoring.other, scoring.staff):
        assert client_of(app, email).get(url).status_code == 200, email
    for email in (other_staff, scoring.stranger):
        assert client_of(app, email).get(url).status_code == 404, email
    assert app.test_client().get(url).status_code == 302  # to the login


def test_an_assessor_who_declared_a_conflict_gets_nothing(app, make):
    archived = build_archived(app, make, ConflictState.CONFLICT)
    client = client_of(app, archived.scoring.assessor)
    application_id = archived.scoring.application_id
    assert client.get(f"/applications/{application_id}/evidence.zip").status_code == 404
    assert client.get(f"/applications/{application_id}/evidence-zip").status_code == 404


def test_the_scoring_and_office_pages_link_the_archive(app, make):
    archived = build_archived(app, make)
    scoring = archived.scoring
    link = f'href="/applications/{scoring.application_id}/evidence.zip"'
    page = client_of(app, scoring.assessor).get(f"/review/{scoring.assignment_id}")
    assert link in page.get_data(as_text=True)
    assert "Alle Nachweise als ZIP herunterladen" in text_of(page)
    office = client_of(app, scoring.office).get(f"/office/applications/{scoring.application_id}")
    assert link in office.get_data(as_text=True)


@pytest.fixture
def small_threshold(app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_ZIP_DIRECT_MAX_FILES", 3)


def test_a_large_archive_is_made_by_the_queue_for_the_one_who_asked(app, make, small_threshold):
    archived = build_archived(app, make)
    scoring = archived.scoring
    base = f"/applications/{scoring.application_id}"
    client = client_of(app, scoring.assessor)

    asked = client.get(f"{base}/evidence.zip")
    assert asked.status_code == 302 and asked.headers["Location"] == f"{base}/evidence-zip"
    page = client.get(f"{base}/evidence-zip")
    assert "Der Antrag hat 12 Dateien" in text_of(page)
    started = client.post(f"{base}/evidence-zip")  # the queue runs at once in the tests
    job_url = started.headers["Location"]
    job = client.get(job_url)
    assert "12 von 12 Dateien · fertig" in text_of(job)
    assert "Refresh" not in job.headers
    download = client.get(f"{job_url}/download")
    assert download.status_code == 200
    assert set(open_zip(download.data).namelist()) == EXPECTED

    # bound to the person who asked: the office and the other assessor may not have it
    for email in (scoring.office, scoring.other):
        other = client_of(app, email)
        assert other.get(job_url).status_code == 404
        assert other.get(f"{job_url}/download").status_code == 404


def test_the_archive_is_removed_a_day_after(app, make, small_threshold, runner):
    archived = build_archived(app, make)
    base = f"/applications/{archived.scoring.application_id}"
    client = client_of(app, archived.scoring.office)
    job_url = client.post(f"{base}/evidence-zip").headers["Location"]
    with app.app_context():
        archive = db.session.scalar(sa.select(EvidenceArchive))
        path = archive_jobs.zip_path(archive)
        assert path.is_file()
        archive.finished_at = utcnow() - timedelta(hours=23)
        db.session.commit()
    assert client.get(f"{job_url}/download").status_code == 200
    assert runner.invoke(args=["seal", "retention", "--dry-run"]).output.count("ZIP-Archiv") == 0

    with app.app_context():
        db.session.scalar(sa.select(EvidenceArchive)).finished_at = utcnow() - timedelta(hours=25)
        db.session.commit()
    assert client.get(f"{job_url}/download").status_code == 404  # past its day at once
    dry = runner.invoke(args=["seal", "retention", "--dry-run"]).output
    assert "1 ZIP-Archiv mit Nachweisen zum Herunterladen" in dry
    result = runner.invoke(args=["seal", "retention"])
    assert "1 ZIP-Archiv mit Nachweisen" in result.output, result.output
    assert not path.exists()
    assert client.get(job_url).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceArchive)) == 0


def test_the_hourly_cleanup_removes_old_archives(app, make, small_threshold):
    archived = build_archived(app, make)
    client = client_of(app, archived.scoring.office)
    client.post(f"/applications/{archived.scoring.application_id}/evidence-zip")
    with app.app_context():
        archive = db.session.scalar(sa.select(EvidenceArchive))
        path = archive_jobs.zip_path(archive)
        archive.finished_at = utcnow() - timedelta(hours=25)
        db.session.commit()
        archive_jobs.hourly_cleanup()
    assert not path.exists()


def test_progress_with_a_real_worker(app, make, small_threshold, tmp_path):
    archived = build_archived(app, make)
    client = client_of(app, archived.scoring.assessor)
    base = f"/applications/{archived.scoring.application_id}"
    with real_queue(app, tmp_path) as start_worker:
        job_url = client.post(f"{base}/evidence-zip").headers["Location"]
        waiting = client.get(job_url)
        assert "0 von 12 Dateien · wartet auf den Hintergrunddienst" in text_of(waiting)
        assert waiting.headers["Refresh"] == "5"
        assert 'role="status"' in waiting.get_data(as_text=True)
        assert "Refresh" not in client.get(f"{job_url}?aktualisieren=aus").headers
        # asking again while it waits leads to the same archive
        assert client.post(f"{base}/evidence-zip").headers["Location"] == job_url

        start_worker()
        for _ in range(120):
            page = text_of(client.get(job_url))
            if "· fertig" in page:
                break
            time.sleep(0.25)
        assert "12 von 12 Dateien · fertig" in page
    assert set(open_zip(client.get(f"{job_url}/download").data).namelist()) == EXPECTED
