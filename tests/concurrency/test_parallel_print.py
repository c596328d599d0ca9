"""Several office sessions start printing the same round at the same moment: one job is made,
and every session is sent to it; never an error page."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.certificates.models import PrintJob
from seal_app.extensions import db
from tests.certificates.print_setup import round_with_certificates
from tests.concurrency.conftest import HttpSession, send_together
from tests.task_queue import real_queue

SESSIONS = 8


def test_parallel_starts_make_one_print_job(app, make, served_app, tmp_path):
    printed = round_with_certificates(app, make, 3)
    office = make.user(Role.OFFICE, "druck@example.org")
    sessions = [HttpSession(served_app, f"Büro {number}") for number in range(SESSIONS)]
    for session in sessions:
        session.login(office)
    path = f"/office/rounds/{printed.round_id}/print"
    with real_queue(app, tmp_path):  # no worker: the job stays queued while they click
        answers, errors = send_together(
            sessions, lambda session: session.request(path, {"kind": "certificates"})
        )
    assert errors == [] and len(answers) == SESSIONS
    with app.app_context():
        jobs = list(db.session.scalars(sa.select(PrintJob.id)))
    assert len(jobs) == 1
    assert {answer.location for answer in answers} == {f"/office/print-jobs/{jobs[0]}"}, [
        (answer.status, answer.location) for answer in answers
    ]
