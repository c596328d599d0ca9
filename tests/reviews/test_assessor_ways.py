"""The assessor's ways through their pages: the visit protocol is reachable and not empty, a
reopened review shows why, only one's own request for more holds up one's submission, every
"back" leads to the assessor's review (the office's page for the office), and the home page
lists only what needs the assessor."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.services import catalogue_of
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews import visits
from seal_app.reviews.models import (
    Assignment,
    Recommendation,
    Review,
    Score,
    Visit,
    VisitProtocol,
)
from tests.conftest import text_of
from tests.reviews.jury_setup import build_meeting, submit_review, visit_day_has_come
from tests.reviews.jury_setup import client_of as meeting_client
from tests.reviews.submission_setup import Jury, build_jury, client_of, score_all

IN_A_WEEK = date.today() + timedelta(days=7)
REVIEW = {
    "recommendation": "award",
    "summary": "Überzeugend.",
    "strengths": "",
    "advice_A": "",
    "confirmed": "y",
}


@pytest.fixture
def jury(app, make) -> Jury:
    return build_jury(app, make)


@pytest.fixture
def planned(app, make):
    """A visit with the first assessor only."""
    meeting = build_meeting(app, make)
    plan = {
        "on": IN_A_WEEK.isoformat(),
        "at": "09:30",
        "visitors": [str(meeting.first_assignment_id)],
        "note": "",
        "version": "",
        "action": "save",
    }
    office = meeting_client(app, meeting.office)
    office.post(f"/office/applications/{meeting.application_id}/visit", data=plan)
    visit_day_has_come(app)
    return meeting


def _request_more(client, application_id: int):
    data = {"criteria": ["A.1"], "message": "Bitte ergänzen.", "due_date": "2999-01-01"}
    return client.post(f"/applications/{application_id}/request-more", data=data)


def _submit(client, assignment_id: int):
    return client.post(
        f"/review/{assignment_id}/submit", data={**REVIEW, "action": "submit", "version": ""}
    )


def _submitted(app, assignment_id: int) -> bool:
    with app.app_context():
        review = db.session.get(Assignment, assignment_id).review
        return review is not None and review.is_submitted


# 1. The visit protocol -----------------------------------------------------------------------


def test_the_visit_protocol_is_linked_from_home_and_overview_and_links_back(app, planned):
    first, own = meeting_client(app, planned.first), planned.first_assignment_id
    protocols = f'href="/review/{own}/visit"'
    home = first.get("/").get_data(as_text=True)
    assert protocols in home and "Besuchsprotokoll" in home
    overview = first.get(f"/review/{own}").get_data(as_text=True)
    assert re.search(rf"{protocols}>Besuchsprotokoll</a>", overview)
    back = rf'href="/review/{own}">Zurück zu Ihrer Bewertung</a>'
    assert re.search(back, first.get(f"/review/{own}/visit").get_data(as_text=True))
    assert re.search(back, first.get(f"/review/{own}/visit/A").get_data(as_text=True))
    # the second assessor does not visit: no link to a page they may not open
    second, theirs = meeting_client(app, planned.second), planned.second_assignment_id
    assert "Besuchsprotokoll" not in second.get("/").get_data(as_text=True)
    assert "Besuchsprotokoll" not in second.get(f"/review/{theirs}").get_data(as_text=True)


# 2. An empty protocol ------------------------------------------------------------------------

EMPTY = "Bitte füllen Sie mindestens eines der drei Felder aus."


def test_an_empty_protocol_is_refused_and_nothing_is_saved(app, planned):
    first, own = meeting_client(app, planned.first), planned.first_assignment_id
    empty = {"observed": " ", "talked_to": "", "findings": "\r\n", "version": "", "action": "next"}
    response = first.post(f"/review/{own}/visit/A", data=empty)
    assert response.status_code == 200
    text = text_of(response)
    assert EMPTY in text and "ist gespeichert" not in text
    assert "protokolliert" not in text_of(first.get(f"/review/{own}/visit"))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VisitProtocol.id))) == 0
    one_field = {**empty, "talked_to": "Schülerrat"}
    assert first.post(f"/review/{own}/visit/A", data=one_field).status_code == 302
    assert "protokolliert" in text_of(first.get(f"/review/{own}/visit"))


def test_the_service_refuses_an_empty_protocol_too(app, planned):
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        assignment = db.session.get(Assignment, planned.first_assignment_id)
        catalogue = catalogue_of(assignment.application)
        values = dict.fromkeys(visits.PROTOCOL_FIELDS, "")
        with pytest.raises(visits.VisitError, match=EMPTY):
            visits.save_protocol(
                visit, assignment, catalogue, "A", values, None, assignment.assessor, date.today()
            )


# 3. A reopened review; whose request holds up the submission ---------------------------------


def test_the_reason_for_reopening_shows_on_home_and_overview(app, jury):
    score_all(app, jury.assignment_id)
    assessor = client_of(app, jury.assessor)
    assert _submit(assessor, jury.assignment_id).status_code == 302
    office = client_of(app, jury.office)
    reopen_url = f"/office/reviews/{jury.assignment_id}/reopen"
    page = office.get(reopen_url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    done = office.post(reopen_url, data={"reason": "Bitte B.1 prüfen.", "version": version})
    assert done.status_code == 302
    assert done.headers["Location"] == f"/office/applications/{jury.application_id}"
    expected = "Von der Geschäftsstelle wieder geöffnet am"
    for url in ("/", f"/review/{jury.assignment_id}"):
        text = text_of(assessor.get(url))
        assert expected in text and "Bitte B.1 prüfen." in text, url


def test_only_an_open_request_of_ones_own_holds_up_the_submission(app, jury):
    score_all(app, jury.assignment_id)
    score_all(app, jury.second_assignment_id)
    asker, other = client_of(app, jury.assessor), client_of(app, jury.second)
    assert _request_more(asker, jury.application_id).status_code == 302
    asker_page = text_of(asker.get(f"/review/{jury.assignment_id}/submit"))
    assert "Ihre Nachforderung ist offen" in asker_page
    other_page = text_of(other.get(f"/review/{jury.second_assignment_id}/submit"))
    assert "Sie können Ihr Gutachten trotzdem schon abgeben" in other_page
    assert "Ihre Nachforderung" not in other_page  # nor who asked
    refused = _submit(asker, jury.assignment_id)
    assert "Ihre Nachforderung an die Schule ist noch offen." in text_of(refused)
    assert not _submitted(app, jury.assignment_id)
    assert _submit(other, jury.second_assignment_id).status_code == 302
    assert _submitted(app, jury.second_assignment_id)


def test_a_request_of_the_office_holds_up_no_assessor(app, jury):
    score_all(app, jury.assignment_id)
    assert _request_more(client_of(app, jury.office), jury.application_id).status_code == 302
    assert _submit(client_of(app, jury.assessor), jury.assignment_id).status_code == 302
    assert _submitted(app, jury.assignment_id)


# 4. Ways back --------------------------------------------------------------------------------


def test_back_from_submitting_and_after_a_request_leads_to_the_review(app, jury):
    assessor = client_of(app, jury.assessor)
    page = assessor.get(f"/review/{jury.assignment_id}/submit").get_data(as_text=True)
    assert f'href="/review/{jury.assignment_id}">Zurück zu Ihrer Bewertung</a>' in page
    assert f'href="/applications/{jury.application_id}"' not in page
    sent = _request_more(assessor, jury.application_id)
    assert sent.headers["Location"] == f"/review/{jury.assignment_id}"


def test_jury_pages_lead_each_role_back_to_where_it_works(app, make):
    meeting = build_meeting(app, make)
    office, first = meeting_client(app, meeting.office), meeting_client(app, meeting.first)
    office_page = f'href="/office/applications/{meeting.application_id}">Zurück zum Antrag</a>'
    review = f'href="/review/{meeting.first_assignment_id}">Zurück zu Ihrer Bewertung</a>'
    school_view = f'href="/applications/{meeting.application_id}"'
    consensus = f"/applications/{meeting.application_id}/consensus"
    for path in (consensus, f"/office/applications/{meeting.application_id}/visit"):
        page = office.get(path).get_data(as_text=True)
        assert office_page in page and school_view not in page, path
    submit_review(app, meeting.first_assignment_id)
    assert "Jurysitzung beginnt" in office.get(consensus).get_data(as_text=True)
    submit_review(app, meeting.second_assignment_id)
    page = first.get(consensus).get_data(as_text=True)
    assert review in page and school_view not in page


def test_after_a_request_the_office_returns_to_its_page_of_the_application(app, jury):
    sent = _request_more(client_of(app, jury.office), jury.application_id)
    assert sent.headers["Location"] == f"/office/applications/{jury.application_id}"


def test_the_application_overview_offers_the_assessor_their_review(app, jury):
    assessor = client_of(app, jury.assessor)
    html = assessor.get(f"/applications/{jury.application_id}").get_data(as_text=True)
    assert f'href="/review/{jury.assignment_id}"' in html and "Zu Ihrer Bewertung" in html
    assert "So geht es weiter" not in html
    school = client_of(app, jury.staff).get(f"/applications/{jury.application_id}")
    assert "So geht es weiter" in text_of(school) and "Zu Ihrer Bewertung" not in text_of(school)


def test_the_scoring_page_links_to_asking_for_more_while_that_is_possible(app, jury):
    assessor = client_of(app, jury.assessor)
    url = f"/review/{jury.assignment_id}/criteria/A.1"
    path = f"/applications/{jury.application_id}/request-more?from=A.1"
    link = f'href="{path}">Nachweise nachfordern</a>'
    assert link in assessor.get(url).get_data(as_text=True)
    _request_more(client_of(app, jury.office), jury.application_id)  # one is open now
    assert "Nachweise nachfordern" not in assessor.get(url).get_data(as_text=True)


# 5. Keyboard: straight to the next level, the first open criterion ----------------------------


def test_save_and_next_lands_at_the_assessors_side(app, jury):
    assessor = client_of(app, jury.assessor)
    data = {"level": "2", "comment": "", "version": "", "action": "next"}
    answer = assessor.post(f"/review/{jury.assignment_id}/criteria/A.1", data=data)
    assert answer.headers["Location"].endswith("#score-title")
    page = assessor.get(answer.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert 'id="score-title" tabindex="-1"' in page


def test_the_overview_goes_on_with_the_first_open_criterion(app, jury):
    score_all(app, jury.assignment_id, skip=("B.1", "C.1"))
    assessor = client_of(app, jury.assessor)
    html = assessor.get(f"/review/{jury.assignment_id}").get_data(as_text=True)
    button = re.search(
        r'<a class="kern-btn kern-btn--primary" href="([^"]+)"><span class="kern-label">'
        r"Weiter mit dem ersten offenen Kriterium",
        html,
    )
    assert button and button.group(1) == f"/review/{jury.assignment_id}/criteria/B.1#score-title"
    with app.app_context():
        assignment = db.session.get(Assignment, jury.assignment_id)
        assignment.scores += [Score(criterion_code=code, level=2) for code in ("B.1", "C.1")]
        db.session.commit()
    html = assessor.get(f"/review/{jury.assignment_id}").get_data(as_text=True)
    assert "Weiter mit dem ersten offenen Kriterium" not in html


# 6. The home page of a submitted review ------------------------------------------------------


def test_only_ones_own_open_request_is_listed_as_waiting(app, jury):
    second = client_of(app, jury.second)
    assert _request_more(second, jury.application_id).status_code == 302
    waiting = "Ihre Nachforderung ist offen: die Schule ergänzt noch"
    assert waiting in text_of(second.get("/"))
    # it holds up nobody else: not on the first assessor's list
    assert waiting not in text_of(client_of(app, jury.assessor).get("/"))
    with app.app_context():
        db.session.get(Assignment, jury.second_assignment_id).review = Review(
            recommendation=Recommendation.AWARD, summary="Gut.", submitted_at=utcnow()
        )
        db.session.commit()
    home = text_of(second.get("/"))  # a submitted review waits for nothing
    assert "Gutachten eingereicht" in home and waiting not in home


def test_assessors_find_the_jury_meeting_once_all_reviews_are_in(app, make):
    meeting = build_meeting(app, make)
    first = meeting_client(app, meeting.first)
    consensus = f'href="/applications/{meeting.application_id}/consensus"'
    overview = f"/review/{meeting.first_assignment_id}"
    submit_review(app, meeting.first_assignment_id)
    assert consensus not in first.get("/").text and consensus not in first.get(overview).text
    submit_review(app, meeting.second_assignment_id)
    for page in (first.get("/"), first.get(overview)):
        assert consensus in page.text and "Zur Jurysitzung" in text_of(page)


def test_asking_for_more_from_a_criterion_preselects_it_and_leads_back(app, jury):
    assessor = client_of(app, jury.assessor)
    scoring = assessor.get(f"/review/{jury.assignment_id}/criteria/C.1").text
    link = f'href="/applications/{jury.application_id}/request-more?from=C.1"'
    assert link in scoring
    form = assessor.get(f"/applications/{jury.application_id}/request-more?from=C.1").text
    assert re.search(r'value="C.1" id="criteria-C-1" checked', form)
    assert f'href="/review/{jury.assignment_id}/criteria/C.1">Zurück zu C.1' in form
    data = {"criteria": ["C.1"], "message": "Bitte ergänzen.", "due_date": "2999-01-01"}
    sent = assessor.post(f"/applications/{jury.application_id}/request-more?from=C.1", data=data)
    assert sent.headers["Location"] == f"/review/{jury.assignment_id}/criteria/C.1"
    # an unknown origin is ignored
    other = assessor.get(f"/applications/{jury.application_id}/request-more?from=Z.9").text
    assert "checked" not in other and "Zurück zu Ihrer Bewertung" in other
