"""After submitting their review, any cleared assessor of the application adds to the visit's
protocol: appended below it with author and time, never replacing a word of it; shown on the
protocol pages, in the jury's meeting and to the office."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.reviews.models import ConflictState, VisitProtocol
from seal_app.reviews.visit_record_models import VisitProtocolAddition
from tests.conftest import text_of
from tests.reviews.jury_setup import (
    assign,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)
from tests.reviews.visit_record_setup import (
    add_to_record,
    record_past_visit,
    record_url,
    write_protocol,
)

ORIGINAL = "Fluchtwegpläne in jedem Flur."
ADDITION = "Nachtrag: Die Übung fand am Nachmittag statt."


@pytest.fixture
def written(app, make):
    """A visit last week by the first assessor, who wrote area A and submitted."""
    meeting = build_meeting(app, make)
    record_past_visit(app, meeting, meeting.first_assignment_id)
    first = client_of(app, meeting.first)
    assert write_protocol(first, meeting.first_assignment_id, observed=ORIGINAL).status_code == 302
    submit_review(app, meeting.first_assignment_id)
    return meeting


def _additions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(VisitProtocolAddition.text)))


def test_a_second_assessor_extends_the_protocol_and_both_are_kept(app, written):
    submit_review(app, written.second_assignment_id)
    second = client_of(app, written.second)  # submitted, did not visit
    response = add_to_record(second, written.second_assignment_id, ADDITION)
    assert response.status_code == 302
    first = client_of(app, written.first)
    assert add_to_record(first, written.first_assignment_id, "Zweiter Nachtrag").status_code == 302

    with app.app_context():
        assert db.session.scalar(sa.select(VisitProtocol.observed)) == ORIGINAL
    assert _additions(app) == [ADDITION, "Zweiter Nachtrag"]
    [details] = audit_details(app, "visit.protocol_added")[:1]
    assert details["area"] == "A"

    page = text_of(first.get(record_url(written.first_assignment_id)))
    original_at = page.index(ORIGINAL)
    added_at = page.index("Ergänzt von Bernd Brandt, ")
    assert original_at < added_at < page.index("Zweiter Nachtrag")
    assert "Protokoll von Anna Arndt" in page and "Ergänzt von Anna Arndt, " in page
    # the visiting assessor's own area page shows the additions below the protocol
    area = text_of(first.get(f"/review/{written.first_assignment_id}/visit/A"))
    assert area.index(ORIGINAL) < area.index(ADDITION)

    office = client_of(app, written.office)
    record = text_of(office.get(f"/office/applications/{written.application_id}/visit/record"))
    assert ORIGINAL in record and "Ergänzt von Bernd Brandt" in record and ADDITION in record
    meeting = text_of(office.get(f"/applications/{written.application_id}/consensus"))
    assert meeting.index(ORIGINAL) < meeting.index(ADDITION)
    assert "Ergänzt von Bernd Brandt" in meeting
    application = text_of(office.get(f"/office/applications/{written.application_id}"))
    assert "Protokolle: 1, Ergänzungen: 2, Fotos: 0." in application


def test_before_submitting_the_assessor_is_sent_to_the_protocol(app, written):
    second = client_of(app, written.second)
    page = second.get(record_url(written.second_assignment_id))
    assert page.status_code == 200
    assert "Ihr Gutachten ist noch nicht eingereicht" in text_of(page)
    assert ORIGINAL not in text_of(page)  # the reviews stay independent
    response = add_to_record(second, written.second_assignment_id, "Mein Text")
    assert response.status_code == 200
    text = text_of(response)
    assert "schreiben Sie Ihre Beobachtungen in Ihr eigenes Protokoll" in text
    assert "Mein Text" in text  # kept in the form
    assert _additions(app) == []


def test_an_empty_addition_is_refused(app, written):
    first = client_of(app, written.first)
    response = add_to_record(first, written.first_assignment_id, "   ")
    assert response.status_code == 200
    assert "Bitte schreiben Sie Ihre Ergänzung oder wählen Sie ein Foto aus." in text_of(response)
    assert _additions(app) == []


def test_an_unknown_area_is_refused_with_the_text_kept(app, written):
    first = client_of(app, written.first)
    response = add_to_record(first, written.first_assignment_id, "Text bleibt", area="Z")
    assert response.status_code == 200
    assert "Bitte wählen Sie aus den angebotenen Möglichkeiten." in text_of(response)
    assert "Text bleibt" in text_of(response) and _additions(app) == []


def test_not_assigned_or_conflicted_assessors_get_404(app, make, written):
    with app.app_context():
        other = make.user_id(make.user(Role.ASSESSOR, "dritte@example.org", name="Dora Dritt"))
        db.session.commit()
    stranger = client_of(app, "dritte@example.org")
    assert stranger.get(record_url(written.first_assignment_id)).status_code == 404
    assert add_to_record(stranger, written.first_assignment_id, "x").status_code == 404
    with app.app_context():
        conflicted = assign(written.application_id, other, state=ConflictState.CONFLICT)
        db.session.commit()
    assert stranger.get(record_url(conflicted)).status_code == 404
    assert add_to_record(stranger, conflicted, "x").status_code == 404
    assert _additions(app) == []
