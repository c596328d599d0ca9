"""The sweeper puts back on the queue what the queue or a killed worker lost: an outbox
message whose task never ran (Redis was down when it was written) or whose worker died while
sending it, and a print job whose worker died in the middle; a worker taken wrongly for dead
stops without touching the restarted job."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from seal_app import tasks
from seal_app.auth.models import Role
from seal_app.certificates import printing
from seal_app.certificates.models import Certificate, PrintJob, PrintState
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.operations import sweeper
from tests.certificates.print_setup import round_with_certificates
from tests.certificates.test_printing import job_id_of, start_print
from tests.conftest import text_of
from tests.reviews.jury_setup import client_of


@pytest.fixture
def office(make) -> str:
    return make.user(Role.OFFICE, "druck@example.org", name="Dora Druck")


@pytest.fixture
def queue_down(monkeypatch) -> list:
    """Every task put on the queue is lost, as with Redis gone (the caller is not told)."""
    lost = []

    def unreachable(function, *args):
        lost.append((function.__name__, args))
        return False

    for module in ("seal_app.notifications.outbox", "seal_app.certificates.print_routes"):
        monkeypatch.setattr(f"{module}.enqueue", unreachable)
    return lost


def _register(client, email: str = "neu@example.org"):
    data = {"school_number": "75001", "name": "Nina Neu", "position": "coordinator"}
    return client.post("/register", data={**data, "email": email})


def test_a_message_whose_task_was_lost_is_sent_by_the_sweeper(
    app, client, accounts, mail_server, queue_down
):
    assert _register(client).status_code == 200  # the request was acknowledged
    assert queue_down and not mail_server.received
    with app.app_context():
        assert db.session.scalar(sa.select(OutboxMessage.state)) is MessageState.QUEUED
        sweeper.sweep()
        state = db.session.scalar(sa.select(OutboxMessage.state))
    assert state is MessageState.SENT
    assert [mail.recipients for mail in mail_server.received] == [[app.config["OFFICE_EMAIL"]]]


def test_a_message_whose_worker_died_while_sending_goes_out_once_after_its_lease(
    app, client, accounts, mail_server, queue_down
):
    _register(client)
    with app.app_context():  # claimed by a worker that was killed before it finished
        message = db.session.scalar(sa.select(OutboxMessage))
        message.state, message.attempts = MessageState.SENDING, 1
        message.next_attempt_at = utcnow() + timedelta(minutes=1)
        db.session.commit()
        sweeper.sweep()  # still within the lease: it may still be sending
        assert db.session.scalar(sa.select(OutboxMessage.state)) is MessageState.SENDING
        message = db.session.scalar(sa.select(OutboxMessage))
        message.next_attempt_at = utcnow() - timedelta(seconds=1)  # the lease ran out
        db.session.commit()
        sweeper.sweep()
        assert db.session.scalar(sa.select(OutboxMessage.state)) is MessageState.SENT
    assert len(mail_server.received) == 1


def test_a_print_job_whose_task_was_lost_is_printed_after_the_lease(app, make, office, queue_down):
    printed = round_with_certificates(app, make, 3)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    assert "wartet auf den Hintergrunddienst" in text_of(client.get(f"/office/print-jobs/{job_id}"))
    with app.app_context():
        assert sweeper.recover(utcnow()) == (0, [])  # not yet: the queue may just be busy
        lease = timedelta(seconds=app.config["PRINT_JOB_LEASE_SECONDS"])
        assert sweeper.recover(utcnow() + lease + timedelta(seconds=1)) == (0, [job_id])
    assert "3 von 3" in text_of(client.get(f"/office/print-jobs/{job_id}"))


def test_a_print_job_whose_worker_was_killed_starts_again_with_every_number_once(
    app, make, office, queue_down
):
    printed = round_with_certificates(app, make, 4)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    with app.app_context():  # a worker took it, printed two, and was killed
        job = db.session.get(PrintJob, job_id)
        job.state, job.done = PrintState.RUNNING, 2
        old_stem = job.file_stem
        db.session.commit()
        part = Path(app.config["PRINT_DIR"]) / f"{old_stem}.zip.part"
        part.write_bytes(b"PK half")
        lease = timedelta(seconds=app.config["PRINT_JOB_LEASE_SECONDS"])
        assert sweeper.recover(utcnow() + lease + timedelta(seconds=1)) == (0, [job_id])
        job = db.session.get(PrintJob, job_id)
        assert job.state is PrintState.DONE and job.file_stem != old_stem
        numbers = sorted(db.session.scalars(sa.select(Certificate.number)))
        members = zipfile.ZipFile(printing.zip_path(job)).namelist()
    assert not part.exists()
    assert len(members) == len(set(members)) == 4
    assert [int(number.split("-")[1]) for number in numbers] == [1, 2, 3, 4]


def test_a_worker_taken_for_dead_stops_at_its_next_document(
    app, make, office, queue_down, monkeypatch
):
    monkeypatch.setattr("seal_app.operations.sweeper.enqueue", lambda *args: False)
    printed = round_with_certificates(app, make, 3)
    client = client_of(app, office)
    job_id = job_id_of(start_print(client, printed.round_id, "certificates"))
    seen = []

    def given_away_after_the_first(done: int, total: int) -> None:
        seen.append(done)
        if done == 1:  # meanwhile the sweeper took this worker for dead
            lease = timedelta(seconds=app.config["PRINT_JOB_LEASE_SECONDS"])
            assert sweeper.restart_print_jobs(utcnow() + lease * 2) == [job_id]

    with app.app_context():
        assert printing.run(job_id, given_away_after_the_first) is None
        job = db.session.get(PrintJob, job_id)
        assert seen == [1] and job.state is PrintState.QUEUED and job.done == 0
        assert not list(Path(app.config["PRINT_DIR"]).glob("*.part"))
        assert printing.run(job_id).state is PrintState.DONE  # the restarted run


def test_enqueueing_never_fails_the_caller_when_the_queue_is_gone(app, monkeypatch, caplog):
    calls = []

    def broken(*args):
        calls.append(args)
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with app.app_context():
        monkeypatch.setitem(app.extensions["tasks"], sweeper.sweep, broken)
        monkeypatch.setattr(tasks.huey_of(app), "immediate", False)
        assert tasks.enqueue(sweeper.sweep) is False
    assert calls == [()]
    assert "queue unreachable" in caplog.text
