"""Several office sessions release the same round's decisions at the same moment: exactly one
release happens, the others are told the list changed; never an error page."""

from __future__ import annotations

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.extensions import db
from tests.certificates.decision_setup import agree_all, decide, stored_decision
from tests.concurrency.conftest import HttpSession, send_together
from tests.reviews.jury_setup import actions, build_meeting, client_of, submit_review

SESSIONS = 6


def test_parallel_releases_release_once(app, make, served_app):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    agree_all(app, meeting.application_id)
    assert decide(client_of(app, meeting.office), meeting.application_id).status_code == 302
    with app.app_context():
        round_id = db.session.get(Application, meeting.application_id).round_id
    decision = stored_decision(app, meeting.application_id)
    form = {"decision": f"{decision.id}:{decision.version}", "confirmed": "y"}
    path = f"/office/rounds/{round_id}/decisions"
    sessions = [HttpSession(served_app, f"Büro {number}") for number in range(SESSIONS)]
    for session in sessions:
        session.login(meeting.office)
    answers, errors = send_together(sessions, lambda session: session.request(path, form))
    assert errors == [] and len(answers) == SESSIONS
    released = [answer for answer in answers if answer.status == 302]
    refused = [
        answer
        for answer in answers
        if answer.status == 200 and "Bitte prüfen Sie die Liste noch einmal." in answer.body
    ]
    assert len(released) == 1, [answer.status for answer in answers]
    assert len(refused) == SESSIONS - 1
    assert actions(app).count("decision.released") == 1
    with app.app_context():
        status = db.session.get(Application, meeting.application_id).status
    assert status is ApplicationStatus.AWARDED
