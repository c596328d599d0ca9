"""The dates after the deadline that the office sets for a round and schools are shown."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.rounds.models import Round
from tests.conftest import login, text_of


def _round(app) -> Round:
    with app.app_context():
        round_ = db.session.scalars(sa.select(Round)).one()
        db.session.expunge(round_)
        return round_


def _edit(client, round_id: int, version: int, **dates):
    data = {"submission_deadline": "2027-06-30", "status": "open", "version": str(version)}
    data.update(dates)
    return client.post(f"/office/rounds/{round_id}/edit", data=data)


def test_review_and_decision_dates_are_saved_and_audited(app, client, accounts):
    login(client, accounts["office"])
    client.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    round_ = _round(app)
    form = text_of(client.get(f"/office/rounds/{round_.id}/edit"))
    assert "Begutachtung durch die Jury bis – optional" in form
    saved = _edit(
        client,
        round_.id,
        round_.version,
        review_until="2027-09-15",
        decision_expected_on="2027-10-01",
    )
    assert saved.status_code == 302
    round_ = _round(app)
    assert (round_.review_until, round_.decision_expected_on) == (
        date(2027, 9, 15),
        date(2027, 10, 1),
    )
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "round.updated")
        ).one()
        assert entry.details["review_until"] == "2027-09-15"
    cleared = _edit(client, round_.id, round_.version, review_until="", decision_expected_on="")
    assert cleared.status_code == 302
    assert _round(app).review_until is None


def test_dates_must_come_after_the_deadline_and_in_order(app, client, accounts):
    login(client, accounts["office"])
    client.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    round_ = _round(app)
    early = _edit(client, round_.id, round_.version, review_until="2027-06-30")
    assert "Das Datum muss nach der Abgabefrist liegen." in text_of(early)
    reversed_order = _edit(
        client,
        round_.id,
        round_.version,
        review_until="2027-09-15",
        decision_expected_on="2027-09-01",
    )
    assert "Die Entscheidung kann nicht vor dem Ende der Begutachtung liegen." in text_of(
        reversed_order
    )
    assert _round(app).review_until is None
