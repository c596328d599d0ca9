"""Printing a whole round through the task queue: all certificates, or all feedback letters,
as one PDF and as a ZIP; the progress page; the CLI; failures leave no half file."""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from seal_app.auth.models import Role, User
from seal_app.certificates import issuing, printing
from seal_app.certificates.models import Certificate, PrintJob, PrintKind, PrintState
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.uploads.store import path_of
from tests.certificates.decision_setup import (
    decide_and_release,
)
from tests.certificates.print_setup import round_with_certificates
from tests.conftest import text_of
from tests.reviews.jury_setup import client_of
from tests.task_queue import real_queue


@pytest.fixture
def office(make) -> str:
    return make.user(Role.OFFICE, "druck@example.org", name="Dora Druck")


def start_print(client, round_id: int, kind: str):
    return client.post(f"/office/rounds/{round_id}/print", data={"kind": kind})


def job_id_of(response) -> int:
    match = re.fullmatch(r"/office/print-jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_round_of_50_certificates_prints_as_one_pdf_of_50_pages_and_a_zip_of_50(
    app, make, office
):
    printed = round_with_certificates(app, make, 50)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))

    response = client.get(f"/office/print-jobs/{job_id}")
    assert "50 von 50 · fertig" in text_of(response)
    assert "Refresh" not in response.headers  # finished: the page stops reloading
    combined = client.get(f"/office/print-jobs/{job_id}/download.pdf")
    assert combined.status_code == 200
    assert "Urkunden-2026.pdf" in combined.headers["Content-Disposition"]
    texts = pages_of(combined.data)
    assert len(texts) == 50
    for text, number, school in zip(texts, printed.numbers, printed.schools, strict=True):
        assert number in text and school in " ".join(text.split())

    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/office/print-jobs/{job_id}/download.zip").data)
    )
    assert sorted(archive.namelist()) == [f"Urkunde-{number}.pdf" for number in printed.numbers]
    for number in printed.numbers:  # the signed originals, byte for byte
        digest = hashlib.sha256(archive.read(f"Urkunde-{number}.pdf")).hexdigest()
        assert digest == printed.sha256[number]


def test_the_round_page_offers_both_prints_and_links_the_last_one(app, make, office):
    printed = round_with_certificates(app, make, 3)
    client = client_of(app, office)
    page = text_of(client.get(f"/office/rounds/{printed.round_id}/decisions"))
    assert "Alle 3 Urkunden drucken" in page
    assert "Rückmeldungen: In dieser Runde ist noch keine Entscheidung freigegeben." in page
    assert "Rückmeldungen drucken" not in page
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    page = client.get(f"/office/rounds/{printed.round_id}/decisions").get_data(as_text=True)
    assert f"/office/print-jobs/{job_id}" in page and "Letzter Druck: Urkunden, fertig" in page


def test_a_revoked_certificate_is_not_printed(app, make, office):
    printed = round_with_certificates(app, make, 3)
    with app.app_context():
        certificate = issuing.by_number(printed.numbers[1])
        certificate.revoked_at = certificate.created_at
        certificate.revoked_reason = "Irrtum"
        db.session.commit()
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    texts = pages_of(client.get(f"/office/print-jobs/{job_id}/download.pdf").data)
    assert len(texts) == 2
    assert not any(printed.numbers[1] in text for text in texts)


def test_feedback_letters_of_a_round_print_each_with_its_own_page_numbers(app, two):
    meeting = two.meeting
    office = client_of(app, meeting.office)
    round_id = decide_and_release(office, app, meeting.application_id, two.second_application_id)
    job_id = job_id_of(start_print(office, round_id, "feedback"))
    combined = office.get(f"/office/print-jobs/{job_id}/download.pdf").data
    archive = zipfile.ZipFile(
        io.BytesIO(office.get(f"/office/print-jobs/{job_id}/download.zip").data)
    )
    names = sorted(archive.namelist())
    year = _year_of(app, round_id)
    assert names == [
        f"Rueckmeldung-{year}-75001-Grundschule-am-Wall.pdf",
        f"Rueckmeldung-{year}-75009-Regionale-Schule-Heidberg.pdf",
    ]
    singles = [pages_of(archive.read(name)) for name in names]
    texts = pages_of(combined)
    assert len(texts) == sum(len(pages) for pages in singles)
    # each letter keeps its own footer and „Seite 1 von n“, as when the school downloads it
    assert sum("Seite 1 von" in text for text in texts) == 2
    everything = " ".join(texts)
    assert "Grundschule am Wall" in everything and "Regionale Schule Heidberg" in everything
    for name in ("Anna Arndt", "Bernd Brandt", "Arndt", "Brandt"):
        assert name not in everything


def _year_of(app, round_id: int) -> int:
    with app.app_context():
        return db.session.get(Round, round_id).year


def test_nothing_to_print_is_refused_with_a_german_message(app, make, office):
    printed = round_with_certificates(app, make, 1)
    client = client_of(app, office)
    response = start_print(client, printed.round_id, "feedback")
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "In dieser Runde ist noch keine Entscheidung freigegeben." in page
    response = start_print(client, printed.round_id, "urkunden")  # not a kind
    page = text_of(client.get(response.headers["Location"]))
    assert "Bitte wählen Sie auf dieser Seite, was gedruckt werden soll." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrintJob.id))) == 0


def test_a_job_under_way_is_shown_instead_of_starting_a_second(app, make, office):
    printed = round_with_certificates(app, make, 2)
    with app.app_context():
        round_ = db.session.get(Round, printed.round_id)
        actor = db.session.scalar(sa.select(User).where(User.email == office))
        first, created = printing.start(round_, PrintKind.CERTIFICATES, actor, utcnow())
        db.session.commit()
        assert created and first.state is PrintState.QUEUED
    client = client_of(app, office)
    response = start_print(client, printed.round_id, "certificates")
    assert job_id_of(response) == first.id
    page = text_of(client.get(response.headers["Location"]))
    assert "Dieser Druck läuft schon" in page and "0 von 2" in page
    assert "wartet auf den Hintergrunddienst" in page
    assert client.get(f"/office/print-jobs/{first.id}").headers["Refresh"] == "5"
    paused = client.get(f"/office/print-jobs/{first.id}?aktualisieren=aus")
    assert "Refresh" not in paused.headers
    assert "Die automatische Aktualisierung ist angehalten." in text_of(paused)
    assert client.get(f"/office/print-jobs/{first.id}/download.pdf").status_code == 404


def test_a_job_runs_once_even_when_the_task_comes_twice(app, make, office):
    printed = round_with_certificates(app, make, 2)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    with app.app_context():
        before = printing.pdf_path(db.session.get(PrintJob, job_id)).stat().st_mtime_ns
        assert printing.run(job_id) is None  # already done: nothing happens
        after = printing.pdf_path(db.session.get(PrintJob, job_id)).stat().st_mtime_ns
    assert before == after


def test_a_failing_job_says_so_and_leaves_no_half_file(app, make, office, monkeypatch):
    printed = round_with_certificates(app, make, 5)
    calls = []

    def text_of_failing_third(certificate):
        calls.append(certificate.number)
        if len(calls) == 3:
            raise OSError("disk full")
        return original(certificate)

    original = issuing.text_of
    monkeypatch.setattr(issuing, "text_of", text_of_failing_third)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    page = text_of(client.get(f"/office/print-jobs/{job_id}"))
    assert "· fehlgeschlagen" in page and "Bitte starten Sie ihn noch einmal." in page
    assert client.get(f"/office/print-jobs/{job_id}/download.zip").status_code == 404
    with app.app_context():
        stem = db.session.get(PrintJob, job_id).file_stem
    assert not list(Path(app.config["PRINT_DIR"]).glob(f"{stem}*"))
    monkeypatch.setattr(issuing, "text_of", original)
    again = job_id_of(start_print(client, printed.round_id, "certificates"))
    assert "5 von 5" in text_of(client.get(f"/office/print-jobs/{again}"))


def test_a_new_print_replaces_the_older_one(app, make, office):
    printed = round_with_certificates(app, make, 2)
    client = client_of(app, office)
    first = job_id_of(start_print(client, printed.round_id, "certificates"))
    second = job_id_of(start_print(client, printed.round_id, "certificates"))
    assert second != first
    old = client.get(f"/office/print-jobs/{first}")
    assert "durch einen neueren Druck ersetzt" in text_of(old)
    assert f'href="/office/print-jobs/{second}"' in old.get_data(as_text=True)
    assert client.get(f"/office/print-jobs/{first}/download.pdf").status_code == 404
    assert client.get(f"/office/print-jobs/{second}/download.pdf").status_code == 200


def test_a_job_whose_worker_died_can_be_started_again(app, make, office, tmp_path):
    printed = round_with_certificates(app, make, 2)
    client = client_of(app, office)
    with real_queue(app, tmp_path):  # no worker runs
        job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    with app.app_context():  # the worker took it, then was killed half an hour ago
        job = db.session.get(PrintJob, job_id)
        job.state, job.done = PrintState.RUNNING, 1
        job.progressed_at = job.progressed_at - printing.STALLED_AFTER
        db.session.commit()
        stem = job.file_stem
    part = Path(app.config["PRINT_DIR"]) / f"{stem}.zip.part"
    part.write_bytes(b"PK")
    response = client.get(f"/office/print-jobs/{job_id}")
    assert "1 von 2 · fehlgeschlagen" in text_of(response)
    assert "Der Hintergrunddienst hat 30 Minuten lang nicht daran weitergearbeitet" in text_of(
        response
    )
    assert "Refresh" not in response.headers and not part.exists()
    again = job_id_of(start_print(client, printed.round_id, "certificates"))
    assert again != job_id
    assert "2 von 2 · fertig" in text_of(client.get(f"/office/print-jobs/{again}"))


def test_a_print_made_before_a_revocation_says_so(app, make, office):
    printed = round_with_certificates(app, make, 2)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    with app.app_context():
        certificate = issuing.by_number(printed.numbers[0])
        certificate_id, version = certificate.id, certificate.version
    client.post(
        f"/office/certificates/{certificate_id}/revoke",
        data={"reason": "Irrtum", "version": str(version)},
    )
    page = text_of(client.get(f"/office/print-jobs/{job_id}"))
    assert f"Nach diesem Druck wurde die Urkunde {printed.numbers[0]} widerrufen" in page
    round_page = text_of(client.get(f"/office/rounds/{printed.round_id}/decisions"))
    assert "Danach wurde eine Urkunde widerrufen: bitte neu drucken." in round_page


def test_only_the_office_reaches_print_jobs(app, make, office, accounts):
    printed = round_with_certificates(app, make, 1)
    job_id = job_id_of(start_print(client_of(app, office), printed.round_id, "certificates"))
    for role in ("school", "assessor"):
        client = client_of(app, accounts[role])
        for url in (
            f"/office/print-jobs/{job_id}",
            f"/office/print-jobs/{job_id}/download.pdf",
            f"/office/print-jobs/{job_id}/download.zip",
        ):
            assert client.get(url).status_code == 403
        assert start_print(client, printed.round_id, "certificates").status_code == 403
    anonymous = app.test_client().get(f"/office/print-jobs/{job_id}/download.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@pytest.fixture
def worker(app, tmp_path):
    with real_queue(app, tmp_path) as start_worker:
        start_worker()
        yield


def test_a_real_worker_prints_the_round_while_the_page_shows_progress(app, make, office, worker):
    printed = round_with_certificates(app, make, 12)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = text_of(client.get(f"/office/print-jobs/{job_id}"))
        if "12 von 12 · fertig" in page:
            break
        time.sleep(0.05)
    assert "12 von 12 · fertig" in page, page
    assert "Fertig seit" in page
    texts = pages_of(client.get(f"/office/print-jobs/{job_id}/download.pdf").data)
    assert len(texts) == 12


def test_the_cli_prints_a_round_with_a_progress_bar(app, make, tmp_path):
    printed = round_with_certificates(app, make, 4)
    runner = app.test_cli_runner()
    out, archive = tmp_path / "urkunden.pdf", tmp_path / "urkunden.zip"
    result = runner.invoke(
        args=["seal", "certificates", "--round", "2026", "--out", str(out), "--zip", str(archive)]
    )
    assert result.exit_code == 0, result.output
    assert "Urkunden 2026" in result.output and "4 Dokumente" in result.output
    assert len(PdfReader(out).pages) == 4
    assert len(zipfile.ZipFile(archive).namelist()) == 4
    assert not list(tmp_path.glob("*.part"))

    missing = runner.invoke(args=["seal", "certificates", "--round", "1999", "--out", str(out)])
    assert missing.exit_code != 0 and "Es gibt keine Runde 1999." in missing.output
    letters = runner.invoke(
        args=["seal", "certificates", "--round", str(printed.year), "--out", str(out), "--feedback"]
    )
    assert letters.exit_code != 0 and "nichts zu drucken" in letters.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--out", "{tmp}/nirgends/u.pdf"], "Den Ordner"),
        (["--out", "{tmp}/u.pdf", "--zip", "{tmp}/nirgends/u.zip"], "Den Ordner"),
        (["--out", ""], "Bitte geben Sie einen Dateinamen an."),
        (["--out", "{tmp}/u.pdf", "--zip", "{tmp}/u.pdf"], "verschiedene Namen"),
        (["--out", "/proc/u.pdf"], "Die Datei lässt sich nicht schreiben"),
        (["--out", "{tmp}/u.pdf", "--round", "99999999999999999999"], "--round"),
    ],
)
def test_the_cli_names_what_is_wrong_with_its_arguments(app, make, tmp_path, arguments, message):
    round_with_certificates(app, make, 1)
    args = [item.format(tmp=tmp_path) for item in arguments]
    if "--round" not in args:
        args += ["--round", "2026"]
    result = app.test_cli_runner().invoke(args=["seal", "certificates", *args])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not list(tmp_path.glob("*.part"))


def _modes(client, job_id: int) -> set[int]:
    data = client.get(f"/office/print-jobs/{job_id}/download.zip").data
    return {info.external_attr >> 16 for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}


def test_zip_members_can_be_read_by_everyone_who_unpacks_them(app, two):
    meeting = two.meeting
    office = client_of(app, meeting.office)
    round_id = decide_and_release(office, app, meeting.application_id, two.second_application_id)
    with app.app_context():  # stored as a server with a strict umask stores them
        for certificate in db.session.scalars(sa.select(Certificate)):
            path_of(certificate.stored_name).chmod(0o600)
    for kind in ("certificates", "feedback"):
        job_id = job_id_of(start_print(office, round_id, kind))
        assert _modes(office, job_id) == {0o100644}, kind  # a regular file, rw-r--r--
