"""The office decides: after the jury's meeting, beside the award rule's proposal, prepared per
application and released for the whole round at once."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from seal_app.applications.models import (
    Application,
    ApplicationStatus,
)
from seal_app.certificates import decisions
from seal_app.certificates.models import Outcome
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, Review
from tests.certificates.decision_setup import (
    RATIONALE,
    decide,
    decision_url,
    release,
    round_id_of,
    status_of,
    stored_decision,
)
from tests.conftest import text_of
from tests.reviews.jury_setup import (
    actions,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)

# --- rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "met", "departs"),
    [
        (Outcome.AWARDED, True, False),
        (Outcome.NOT_AWARDED, False, False),
        (Outcome.NOT_AWARDED, True, True),
        (Outcome.AWARDED, False, True),
        (Outcome.DEFERRED, True, True),
        (Outcome.DEFERRED, False, True),
    ],
)
def test_what_departs_from_the_proposal(outcome, met, departs):
    assert decisions.departs(outcome, met) is departs


def test_advice_from_reviews_joins_paragraphs_without_names():
    class Item:
        def __init__(self, advice):
            self.review = type("R", (), {"advice": advice})()

    reviews = [
        Item({"A": " Erstens. "}),
        Item({"A": "Zweitens.", "B": ""}),
        Item({"A": "Erstens."}),  # the same advice twice reaches the school once
        Item({}),
    ]
    assert decisions.advice_from_reviews(reviews, ["A", "B"]) == {
        "A": "Erstens.\n\nZweitens.",
        "B": "",
    }


# --- preparing --------------------------------------------------------------------------------


def test_no_decision_before_every_level_is_agreed(app, make):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    office = client_of(app, meeting.office)
    page = text_of(office.get(decision_url(meeting.application_id)))
    assert "Noch nicht möglich" in page and "noch nicht alle Gutachten eingereicht" in page
    submit_review(app, meeting.second_assignment_id)
    page = text_of(office.get(decision_url(meeting.application_id)))
    assert "erst für 0 von 23 Kriterien eine Stufe vereinbart" in page
    assert "<textarea" not in decide(office, meeting.application_id).text
    assert stored_decision(app, meeting.application_id) is None


def test_the_page_shows_the_proposal_and_the_recommendations(app, agreed):
    page = text_of(client_of(app, agreed.office).get(decision_url(agreed.application_id)))
    assert "Vorschlag: Siegel verliehen" in page
    assert "Anna Arndt: verleihen" in page and "Bernd Brandt: verleihen" in page
    assert "Siegel verliehen (Vorschlag)" in page


def test_the_advice_starts_from_the_reviews_without_names(app, agreed):
    html = client_of(app, agreed.office).get(decision_url(agreed.application_id)).text
    field = html.split('id="advice_A"', 1)[1].split("</textarea>", 1)[0]
    assert "Üben Sie die Räumung im Winter." in field and "Beziehen Sie den Schülerrat" in field
    assert "Arndt" not in field and "Brandt" not in field


def test_following_the_proposal_is_prepared_and_the_school_learns_nothing(app, agreed):
    office = client_of(app, agreed.office)
    assert decide(office, agreed.application_id).status_code == 302
    decision = stored_decision(app, agreed.application_id)
    assert decision.outcome is Outcome.AWARDED and decision.rationale == RATIONALE
    assert decision.proposal_met and not decision.is_released
    assert status_of(app, agreed.application_id) is ApplicationStatus.IN_REVIEW
    [details] = audit_details(app, "decision.prepared")
    assert details["outcome"] == "Siegel verliehen" and details["departs"] is False
    school = text_of(client_of(app, agreed.staff).get(f"/applications/{agreed.application_id}"))
    assert "Siegel verliehen" not in school and RATIONALE not in school


@pytest.mark.parametrize("outcome", ["not_awarded", "deferred"])
def test_departing_from_the_proposal_needs_its_own_rationale(app, agreed, outcome):
    office = client_of(app, agreed.office)
    refused = decide(office, agreed.application_id, outcome=outcome)
    assert refused.status_code == 200 and text_of(refused).startswith("Fehler:")
    assert "Bitte begründen Sie die Abweichung." in text_of(refused)
    assert RATIONALE in refused.text  # what was typed is kept
    assert stored_decision(app, agreed.application_id) is None
    reason = "Das Krisenkonzept ist seit der Sitzung außer Kraft."
    saved = decide(office, agreed.application_id, outcome=outcome, departure_rationale=reason)
    assert saved.status_code == 302
    decision = stored_decision(app, agreed.application_id)
    assert decision.outcome is Outcome(outcome) and decision.departure_rationale == reason
    assert audit_details(app, "decision.prepared")[0]["departs"] is True


def test_every_problem_is_named_at_once(app, agreed):
    office = client_of(app, agreed.office)
    refused = decide(office, agreed.application_id, outcome="", rationale=" ")
    text = text_of(refused)
    assert "Bitte wählen Sie die Entscheidung." in text
    assert "Bitte begründen Sie die Entscheidung." in text
    unknown = decide(office, agreed.application_id, outcome="vielleicht")
    assert "Bitte wählen Sie die Entscheidung." in text_of(unknown)
    assert stored_decision(app, agreed.application_id) is None
    assert "decision.prepared" not in actions(app)


def test_a_stale_decision_is_refused_with_the_text_kept(app, agreed):
    office, other = client_of(app, agreed.office), client_of(app, agreed.office)
    decide(office, agreed.application_id)
    decide(office, agreed.application_id, rationale="Zweite Fassung", version="1")
    stale = decide(other, agreed.application_id, rationale="Alte Fassung", version="1")
    assert stale.status_code == 200
    assert "inzwischen an anderer Stelle gespeichert" in text_of(stale)
    assert "Alte Fassung" in stale.text
    assert stored_decision(app, agreed.application_id).rationale == "Zweite Fassung"


def test_agreed_levels_are_locked_while_a_decision_is_prepared(app, agreed):
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    prefix = "level-A-1"
    data = {
        "criterion": "A.1",
        f"{prefix}-level": "3",
        f"{prefix}-note": "Neu bewertet",
        f"{prefix}-version": "1",
    }
    consensus_url = f"/applications/{agreed.application_id}/consensus"
    locked = office.post(consensus_url, data=data, follow_redirects=True)
    assert "verwerfen Sie zuerst den Entwurf der Entscheidung" in text_of(locked)
    discarded = office.post(
        f"/office/applications/{agreed.application_id}/decision/discard", data={"version": "1"}
    )
    assert discarded.status_code == 302
    assert stored_decision(app, agreed.application_id) is None
    assert "decision.discarded" in actions(app)
    assert office.post(consensus_url, data=data).status_code == 302


# --- releasing --------------------------------------------------------------------------------


def test_the_round_is_released_at_one_moment(app, two):
    meeting = two.meeting
    office = client_of(app, meeting.office)
    decide(office, meeting.application_id)
    reason = "Mehrere Pflichtkriterien liegen unter der Mindeststufe."
    decide(office, two.second_application_id, outcome="not_awarded", rationale=reason)
    round_id = round_id_of(app, meeting.application_id)
    page = text_of(office.get(f"/office/rounds/{round_id}/decisions"))
    assert "2 Entscheidungen sind vorbereitet." in page
    both = (meeting.application_id, two.second_application_id)
    ids = [stored_decision(app, item) for item in both]

    refused = release(office, round_id, ids, confirmed="")
    assert "Bitte bestätigen Sie die Freigabe." in text_of(refused)
    assert status_of(app, meeting.application_id) is ApplicationStatus.IN_REVIEW

    released = release(office, round_id, ids)
    assert released.status_code == 302
    assert "2 Entscheidungen sind freigegeben." in text_of(office.get(released.location))
    with app.app_context():
        first = db.session.get(Application, meeting.application_id)
        second = db.session.get(Application, two.second_application_id)
        assert first.status is ApplicationStatus.AWARDED
        assert second.status is ApplicationStatus.NOT_AWARDED
        assert first.decided_at == second.decided_at is not None
        assert first.jury_advice.startswith("A. ") and "Räumung im Winter" in first.jury_advice
    assert actions(app).count("decision.released") == 2
    school = text_of(client_of(app, meeting.staff).get(f"/applications/{meeting.application_id}"))
    assert "Siegel verliehen" in school and RATIONALE in school
    # released is final: neither the decision nor the agreed levels change any more
    again = decide(office, meeting.application_id, rationale="Nachträglich")
    assert stored_decision(app, meeting.application_id).rationale == RATIONALE
    assert again.status_code == 200
    assert "nicht mehr alle" not in text_of(office.get(f"/office/rounds/{round_id}/decisions"))


def test_a_release_of_a_changed_list_is_refused(app, two):
    meeting = two.meeting
    office = client_of(app, meeting.office)
    decide(office, meeting.application_id)
    round_id = round_id_of(app, meeting.application_id)
    shown = [stored_decision(app, meeting.application_id)]
    decide(office, two.second_application_id, outcome="not_awarded")  # prepared meanwhile
    refused = release(office, round_id, shown)
    assert refused.status_code == 200
    assert "Bitte prüfen Sie die Liste noch einmal." in text_of(refused)
    assert status_of(app, meeting.application_id) is ApplicationStatus.IN_REVIEW
    assert "decision.released" not in actions(app)


def test_nothing_prepared_nothing_torelease(app, agreed):
    office = client_of(app, agreed.office)
    round_id = round_id_of(app, agreed.application_id)
    page = text_of(office.get(f"/office/rounds/{round_id}/decisions"))
    assert "Es ist keine Entscheidung zum Freigeben vorbereitet." in page
    assert release(office, round_id, []).status_code == 200
    assert "decision.released" not in actions(app)


def test_the_way_to_thestored_decision(app, agreed):
    office = client_of(app, agreed.office)
    decide = f'href="/office/applications/{agreed.application_id}/decision"'
    assert decide in office.get(f"/applications/{agreed.application_id}/consensus").text
    assert decide in office.get(f"/office/applications/{agreed.application_id}").text
    round_id = round_id_of(app, agreed.application_id)
    assert f'href="/office/rounds/{round_id}/decisions"' in office.get("/").text
    # assessors read the meeting but do not decide
    first = client_of(app, agreed.first)
    assert decide not in first.get(f"/applications/{agreed.application_id}/consensus").text


def test_reviews_stay_as_they_are_once_a_decision_is_prepared(app, agreed):
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    page = office.get(f"/office/applications/{agreed.application_id}").text
    assert "Gutachten wieder öffnen" not in page and "Zuweisung entfernen" not in page
    reopen = office.post(
        f"/office/reviews/{agreed.first_assignment_id}/reopen",
        data={"reason": "Bitte noch einmal ansehen.", "version": "1"},
        follow_redirects=True,
    )
    assert "das Gutachten bleibt, wie es ist" in text_of(reopen)
    remove = office.post(
        f"/office/assignments/{agreed.first_assignment_id}/remove", follow_redirects=True
    )
    assert "nicht entschieden ist" in text_of(remove)
    assert "review.reopened" not in actions(app) and "assignment.removed" not in actions(app)


def test_a_released_decision_stays_readable_where_reviews_are_missing(app, agreed):
    """A round taken over from before the app: the decision is released, the reviews are not
    all there; the decision page shows the decision, not „Noch nicht möglich“."""
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    release(
        office,
        round_id_of(app, agreed.application_id),
        [stored_decision(app, agreed.application_id)],
    )
    with app.app_context():
        review = db.session.scalar(
            sa.select(Review)
            .join(Review.assignment)
            .where(Assignment.id == agreed.first_assignment_id)
        )
        review.submitted_at = None
        db.session.commit()
    page = text_of(office.get(decision_url(agreed.application_id)))
    assert "Freigegeben am" in page and "Siegel verliehen" in page
    assert "Noch nicht möglich" not in page


def test_the_school_hears_of_the_released_decision_with_the_feedback_link(app, agreed, mail_server):
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    assert mail_server.to(agreed.staff) == []  # prepared: nobody learns of it yet
    release(
        office,
        round_id_of(app, agreed.application_id),
        [stored_decision(app, agreed.application_id)],
    )
    [mail] = mail_server.to(agreed.staff)
    assert mail.subject == "Entscheidung zu Ihrem Antrag: Siegel verliehen"
    assert "Urkunde" in mail.text
    path = urlparse(re.search(r"https://siegel\.example\.org/\S+", mail.text).group(0)).path
    page = client_of(app, agreed.staff).get(path)
    assert page.status_code == 200 and "Rückmeldung der Jury" in text_of(page)
