"""Several office sessions save the same agreed level, several tabs of one assessor the same
visit protocol, at the same moment: each save is stored or refused, never an error."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import JuryLevel, Visit, VisitParticipant, VisitProtocol
from tests.concurrency.test_parallel_saves import SharedForm, assert_clean, race, sessions_of
from tests.reviews.jury_setup import build_meeting, submit_review

LEVEL_STALE = "Jemand anderes hat die Stufe für A.1 inzwischen gespeichert"
PROTOCOL_STALE = "Dieses Protokoll wurde inzwischen an anderer Stelle gespeichert"


def test_parallel_jury_level_saves_are_saved_or_refused(app, make, served_app):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id, {"A.1": 1})
    submit_review(app, meeting.second_assignment_id, {"A.1": 3})
    path = f"/applications/{meeting.application_id}/consensus"

    def values(number: int) -> tuple[str, dict]:
        typed = f"Begruendung Nummer {number}"
        return typed, {"criterion": "A.1", "level-A-1-level": "1", "level-A-1-note": typed}

    form = SharedForm(path, path, "level-A-1-version", values, LEVEL_STALE)
    rounds = 3

    outcome = race(sessions_of(served_app, meeting.office), form, rounds)

    assert_clean(outcome, 10 * rounds)
    assert outcome.refused, "people who sent an old version are refused"
    with app.app_context():
        agreed = db.session.scalar(sa.select(JuryLevel))
        assert agreed.version == len(outcome.saved)
        assert agreed.note in outcome.saved


def test_parallel_protocol_saves_are_saved_or_refused(app, make, served_app):
    meeting = build_meeting(app, make)
    with app.app_context():
        visit = Visit(application_id=meeting.application_id, starts_at=utcnow(), note="")
        visit.participants.append(VisitParticipant(assignment_id=meeting.first_assignment_id))
        db.session.add(visit)
        db.session.commit()
    path = f"/review/{meeting.first_assignment_id}/visit/A"

    def values(number: int) -> tuple[str, dict]:
        typed = f"Beobachtung Nummer {number}"
        return typed, {"observed": typed, "talked_to": "Schulleitung", "findings": "gut"}

    form = SharedForm(path, path, "version", values, PROTOCOL_STALE)
    rounds = 3

    outcome = race(sessions_of(served_app, meeting.first), form, rounds)

    assert_clean(outcome, 10 * rounds)
    with app.app_context():
        protocol = db.session.scalar(sa.select(VisitProtocol))
        assert protocol.version == len(outcome.saved)
        assert protocol.observed in outcome.saved
