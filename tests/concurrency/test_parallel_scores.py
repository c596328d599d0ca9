"""One assessor, signed in from ten places, saves the same score at the same moment; and sends
the declaration from all of them at once. Every answer is a save or a clean refusal."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Score
from tests.concurrency.test_parallel_saves import (
    SESSIONS,
    SharedForm,
    assert_clean,
    at_once,
    race,
    sessions_of,
)
from tests.reviews.scoring_setup import build_scoring

SCORE_STALE = "Diese Bewertung wurde inzwischen in einem anderen Fenster gespeichert"


def score_values(number: int) -> tuple[str, dict]:
    typed = f"Fassung {number} der Bewertung"
    return typed, {"level": str(number % 4), "comment": typed, "action": "save"}


def test_parallel_score_saves_are_saved_or_refused(app, make, served_app):
    setup = build_scoring(app, make, ConflictState.NONE)
    path = f"/review/{setup.assignment_id}/criteria/A.3"
    rounds = 4

    outcome = race(
        sessions_of(served_app, setup.assessor),
        SharedForm(path, path, "version", score_values, SCORE_STALE),
        rounds,
    )

    assert_clean(outcome, SESSIONS * rounds)
    assert outcome.refused, "people who sent an old version are refused"
    with app.app_context():
        score = db.session.scalar(
            sa.select(Score).where(Score.assignment_id == setup.assignment_id)
        )
        assert score.version == len(outcome.saved)
        assert score.comment in outcome.saved
        saved_entries = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "score.saved")
        )
        assert saved_entries == len(outcome.saved)


def test_declaring_at_once_counts_once(app, make, served_app):
    setup = build_scoring(app, make)
    path = f"/review/{setup.assignment_id}/declaration"
    answers = at_once(sessions_of(served_app, setup.assessor), path, {"decision": "none"})
    assert [answer.status for answer in answers] == [302] * SESSIONS
    with app.app_context():
        assignment = db.session.get(Assignment, setup.assignment_id)
        assert assignment.conflict_state is ConflictState.NONE
        declared = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "assignment.declared")
        )
        assert declared == 1
