"""A conflict declared on the round's page for a school the assessor is already assigned to:
the assignment counts as conflicted at once, access ends everywhere, the review no longer
counts, the office is told (its page, its mailbox, the log), agreed levels stay with a note."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.notifications.models import OutboxMessage
from seal_app.reviews import consensus
from seal_app.reviews.models import Assignment, ConflictState, JuryLevel
from seal_app.reviews.visit_record_models import VisitPhoto
from tests.conftest import text_of
from tests.reviews.discussion_setup import post_comment, thread_url
from tests.reviews.jury_setup import (
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)
from tests.reviews.test_visit_photos import photo_with_location
from tests.reviews.visit_record_setup import add_to_record, record_past_visit, record_url

REASON = "Meine Schwester unterrichtet dort."


def _declare_for_round(app, meeting, email: str):
    with app.app_context():
        application = db.session.get(Assignment, meeting.first_assignment_id).application
        round_id, school_id = application.round_id, application.school_id
    client = client_of(app, email)
    data = {
        "school": [str(school_id)],
        f"version-{school_id}": "0",
        f"school-{school_id}-conflict": "y",
        f"school-{school_id}-reason": REASON,
    }
    return client, client.post(f"/review/rounds/{round_id}/conflicts", data=data)


def test_a_round_conflict_ends_an_assignments_access_and_its_review_counts_no_more(
    app, make, mail_server
):
    meeting = build_meeting(app, make)
    record_past_visit(app, meeting)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    first = client_of(app, meeting.first)
    assert post_comment(first, meeting.application_id, "B.2 bitte besprechen.").status_code == 303
    add_to_record(first, meeting.first_assignment_id, photo=photo_with_location())
    with app.app_context():
        photo_id = db.session.scalar(sa.select(VisitPhoto.id))
    urls = (
        thread_url(meeting.application_id),
        f"/applications/{meeting.application_id}/evidence.zip",
        record_url(meeting.first_assignment_id),
        f"/visit-photos/{photo_id}",
        f"/review/{meeting.first_assignment_id}/submit",
    )
    assert [first.get(url).status_code for url in urls] == [200] * len(urls)

    first, declared = _declare_for_round(app, meeting, meeting.first)
    assert declared.status_code == 302

    assert [first.get(url).status_code for url in urls] == [404] * len(urls)
    assert post_comment(first, meeting.application_id, "Noch etwas.").status_code == 404
    with app.app_context():
        assignment = db.session.get(Assignment, meeting.first_assignment_id)
        assert assignment.conflict_state is ConflictState.CONFLICT
        assert assignment.conflict_reason == REASON and assignment.declared_at is not None
        counted = consensus.counted(consensus.assignments_for(meeting.application_id))
        assert [item.id for item in counted] == [meeting.second_assignment_id]
        [message] = db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.event == "assignment.conflict_after_assignment"
            )
        ).all()
        assert message.recipient == app.config["OFFICE_EMAIL"]
        assert "Anna Arndt" in message.body_text and REASON in message.body_text
        assert "zählt für die Jurysitzung nicht mehr" in message.body_text
    [details] = audit_details(app, "assignment.declared")
    assert details["state"] == "conflict" and details["reason"] == REASON

    office = text_of(
        client_of(app, meeting.office).get(f"/office/applications/{meeting.application_id}")
    )
    assert f"Erklärung zur Befangenheit: befangen – „{REASON}“ (erklärt am" in office
    assert "keine Befangenheit" not in office.split("Anna Arndt", 1)[1].split("Bernd Brandt")[0]

    withdrawn = first.post(
        f"/review/rounds/{_round_id(app, meeting)}/conflicts",
        data={
            "school": [str(meeting.school_id)],
            f"version-{meeting.school_id}": "1",
            f"school-{meeting.school_id}-reason": "",
        },
    )
    assert withdrawn.status_code == 200  # the declaration stays: the assignment rests on it
    assert "Ihre Zuweisung zu dieser Schule ist damit als befangen erfasst" in text_of(withdrawn)


def test_agreed_levels_stay_and_the_consensus_page_asks_to_check_them(app, make):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    with app.app_context():
        db.session.add(
            JuryLevel(application_id=meeting.application_id, criterion_code="A.1", level=2)
        )
        db.session.commit()
    office = client_of(app, meeting.office)
    before = text_of(office.get(f"/applications/{meeting.application_id}/consensus"))
    assert "Ein Gutachten zählt nicht mehr" not in before

    assert _declare_for_round(app, meeting, meeting.first)[1].status_code == 302

    page = text_of(office.get(f"/applications/{meeting.application_id}/consensus"))
    assert "Ein Gutachten zählt nicht mehr: vereinbarte Stufen bitte prüfen" in page
    assert "Anna Arndt hat sich am" in page
    with app.app_context():
        assert db.session.scalar(sa.select(JuryLevel.level)) == 2


def _round_id(app, meeting) -> int:
    with app.app_context():
        return db.session.get(Assignment, meeting.first_assignment_id).application.round_id
