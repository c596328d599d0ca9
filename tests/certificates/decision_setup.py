"""Helpers for the decision tests: a finished jury meeting, preparing and releasing."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.applications.services import catalogue_of
from seal_app.auth.models import User
from seal_app.certificates import decisions
from seal_app.certificates.models import Decision
from seal_app.extensions import db
from seal_app.reviews import agreed_levels, consensus
from seal_app.reviews.models import Review
from tests.reviews.jury_setup import client_of

RATIONALE = "Die Schule hat ein gelebtes Sicherheitskonzept."


def agree_all(app, application_id: int) -> None:
    """Both reviews in, every rounded mean adopted as the agreed level."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        office = db.session.scalar(sa.select(User).where(User.email == "buero@example.org"))
        catalogue = catalogue_of(application)
        shown = consensus.consensus_of(application, catalogue).to_adopt
        agreed_levels.adopt_proposals(application, catalogue, shown, office)
        db.session.commit()


def with_advice(app, assignment_id: int, text: str) -> None:
    with app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.assignment_id == assignment_id))
        review.advice = {"A": text}
        db.session.commit()


def decision_url(application_id: int) -> str:
    return f"/office/applications/{application_id}/decision"


def decide(client, application_id: int, outcome="awarded", rationale=RATIONALE, **extra):
    data = {
        "outcome": outcome,
        "rationale": rationale,
        "departure_rationale": "",
        "advice_A": "Üben Sie die Räumung im Winter.",
        "version": "",
        **extra,
    }
    return client.post(decision_url(application_id), data=data)


def stored_decision(app, application_id: int) -> Decision | None:
    with app.app_context():
        decision = decisions.decision_of(application_id)
        if decision is not None:
            db.session.expunge(decision)
        return decision


def status_of(app, application_id: int) -> ApplicationStatus:
    with app.app_context():
        return db.session.get(Application, application_id).status


def release(client, round_id: int, decisions: list[Decision], confirmed: str = "y"):
    """Release as the round's page does: each decision as „id:version“ as it was shown."""
    shown = [f"{item.id}:{item.version}" for item in decisions]
    return client.post(
        f"/office/rounds/{round_id}/decisions",
        data={"decision": shown, "confirmed": confirmed},
    )


def round_id_of(app, application_id: int) -> int:
    with app.app_context():
        return db.session.get(Application, application_id).round_id


def award(app, office_client, application_id: int) -> None:
    """The office decides to award and releases the round: the certificate is issued."""
    decide(office_client, application_id)
    shown = [stored_decision(app, application_id)]
    assert release(office_client, round_id_of(app, application_id), shown).status_code == 302


def award_and_release(app, meeting) -> None:
    """The office awards the meeting's application and releases it: the certificate is issued."""
    award(app, client_of(app, meeting.office), meeting.application_id)


def decide_and_release(client, app, awarded_id: int, not_awarded_id: int) -> int:
    """Decide one application of a round as awarded, another as not awarded, release both;
    the round's id."""
    decide(client, awarded_id)
    decide(client, not_awarded_id, outcome="not_awarded")
    round_id = round_id_of(app, awarded_id)
    decisions = [stored_decision(app, item) for item in (awarded_id, not_awarded_id)]
    assert release(client, round_id, decisions).status_code == 302
    return round_id
