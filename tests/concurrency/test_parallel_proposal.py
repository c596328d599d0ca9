"""Several office sessions take over the same assignment proposal at the same moment.

Exactly one of them assigns; the others are told in German that the assignments changed
meanwhile, and nobody is assigned twice. Never an error page.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.reviews.models import Assignment
from tests.concurrency.conftest import HttpSession, send_together
from tests.reviews.assignment_setup import build_round

SESSIONS = 6
REFUSALS = (
    "Inzwischen hat jemand anderes Zuweisungen geändert",
    "Der Vorschlag hat sich inzwischen geändert",
)


def _proposal_form(session: HttpSession, path: str) -> list[tuple[str, str]]:
    page = session.request(path)
    assert page.status == 200, page.status
    pairs = re.findall(r'name="pair" value="([^"]+)"', page.body)
    due = re.search(r'<input[^>]*name="due_on"[^>]*value="([^"]+)"', page.body)
    assert pairs and due, "the proposal page shows pairs and a due date"
    shown = [("shown", pair) for pair in pairs]
    return shown + [("pair", pair) for pair in pairs] + [("due_on", due.group(1))]


def test_parallel_proposals_assign_each_assessor_once(app, make, served_app):
    setup = build_round(app, make)
    path = f"/office/rounds/{setup.round_id}/assignments/proposal"
    sessions = [HttpSession(served_app, f"Büro {number}") for number in range(SESSIONS)]
    for session in sessions:
        session.login(setup.office)
    forms = [_proposal_form(session, path) for session in sessions]
    assert all(form == forms[0] for form in forms)
    answers, errors = send_together(sessions, lambda session: session.request(path, forms[0]))

    assert errors == []
    assigned = [answer for answer in answers if answer.status == 302]
    refused = [
        answer
        for answer in answers
        if answer.status == 200 and any(message in answer.body for message in REFUSALS)
    ]
    assert len(assigned) == 1, [answer.status for answer in answers]
    assert len(refused) == SESSIONS - 1, [(a.status, a.body[:200]) for a in answers]
    with app.app_context():
        pairs = db.session.execute(sa.select(Assignment.application_id, Assignment.assessor_id))
        pairs = list(pairs)
        created = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "assignment.created")
        )
    assert len(pairs) == len(set(pairs)) == 6
    assert created == 6
    for application_id in setup.application_ids:
        assert sum(1 for pair in pairs if pair[0] == application_id) == 2
