"""The scoring overview and the scoring page of one criterion: what they show, the comment
rule, bad input, stale saves, read-only after submitting, the audit entry."""

from __future__ import annotations

import re

import sqlalchemy as sa

from seal_app.applications.models import Application, EvidenceFile
from seal_app.audit.models import AuditEntry
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, Recommendation, Review, Score
from tests.conftest import text_of
from tests.reviews.scoring_setup import (  # noqa: F401
    cleared_fixture,
    client_of,
    score_data,
    score_of,
)


def _url(cleared, code: str = "A.1") -> str:
    return f"/review/{cleared.assignment_id}/criteria/{code}"


def _total(app) -> int:
    from seal_app.catalogue import services

    with app.app_context():
        return len(list(services.available()["2026.1"].criteria))


def test_the_page_shows_the_school_side_and_the_rubric(app, cleared):
    page = client_of(app, cleared.assessor).get(_url(cleared))
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    assert "Stufe 3 – vorbildlich verankert" in text  # the school's self-rating
    for shown in ("Wir haben ein Krisenteam", "2019", "Kollegium", "Polizei Güstrow"):
        assert shown in text
    with app.app_context():
        files = db.session.scalars(sa.select(EvidenceFile)).all()
        for file in files:
            assert file.description in text and file.sha256 in text
            assert f"/files/{file.id}" in html  # download
        image = next(file for file in files if file.media_type == "image/png")
        pdf = next(file for file in files if file.media_type == "application/pdf")
    assert re.search(rf'<img [^>]*src="[^"]*/files/{image.id}/preview"', html)
    assert f"/files/{pdf.id}/preview" in html  # opened inline in the browser
    frame = rf'<iframe [^>]*src="[^"]*/files/{pdf.id}/preview"[^>]*title="Vorschau: '
    assert re.search(frame, html)  # PDFs shown beside the rubric
    assert "Zu diesem Kriterium gibt es an der Schule bisher keine Maßnahmen." in text
    assert "Die Maßnahmen sind im Schulprogramm verankert" in text  # every descriptor
    assert len(re.findall(r'type="radio"', html)) == 4
    assert f"0 von {_total(app)} bewertet" in text
    assert "Nötig bei Stufe 0 oder 1" in text  # the rule, before any error
    buttons = re.findall(r'<button[^>]*name="action" value="(\w+)"', html)
    assert buttons == ["next", "save", "overview"]  # Enter presses the first


def test_save_and_next_moves_on_and_is_logged(app, cleared):
    client = client_of(app, cleared.assessor)
    answer = client.post(_url(cleared), data=score_data("3", "Gut belegt.", action="next"))
    assert answer.status_code == 302
    # at the assessor's side: its heading takes the focus, the next Tab reaches the levels
    assert answer.headers["Location"] == _url(cleared, "A.2") + "?saved=A.1#score-title"
    score = score_of(app, cleared.assignment_id, "A.1")
    assert (score.level, score.comment, score.version) == (3, "Gut belegt.", 1)
    following = client.get(answer.headers["Location"])
    assert f"1 von {_total(app)} bewertet" in text_of(following)
    # said beside the rubric, which the page opens at, under a heading naming the criterion
    own_side = following.text.split('id="score-title"', 1)[1]
    assert own_side.split("</h2>", 1)[0].endswith("Ihre Bewertung zu A.2")
    assert "Ihre Bewertung zu A.1 ist gespeichert." in own_side.split("</p>", 1)[0]
    assert "ist gespeichert" not in following.text.split('id="score-title"', 1)[0]
    client.post(_url(cleared), data=score_data("2", "", version="1"))
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "score.saved").order_by(AuditEntry.id)
        ).all()
        assert entries[0].details["changes"] == {
            "level": {"old": None, "new": 3},
            "comment": {"old": "", "new": "Gut belegt."},
        }
        assert entries[1].details["changes"] == {
            "level": {"old": 3, "new": 2},
            "comment": {"old": "Gut belegt.", "new": ""},
        }
        assert entries[1].details["criterion"] == "A.1"
        assert entries[1].school_id is not None
    log = text_of(client_of(app, cleared.office).get("/office/audit/"))
    assert "Bewertung eines Kriteriums gespeichert" in log and "Stufe 3 → Stufe 2" in log


def test_the_other_buttons(app, cleared):
    client = client_of(app, cleared.assessor)
    saved = client.post(_url(cleared), data=score_data("3", action="save"))
    assert saved.headers["Location"] == _url(cleared)
    overview = client.post(_url(cleared, "A.2"), data=score_data("2", action="overview"))
    assert overview.headers["Location"] == f"/review/{cleared.assignment_id}"
    last = _last_code(app)
    at_end = client.post(_url(cleared, last), data=score_data("2", action="next"))
    assert at_end.headers["Location"] == f"/review/{cleared.assignment_id}"


def _last_code(app) -> str:
    from seal_app.catalogue import services

    with app.app_context():
        return list(services.available()["2026.1"].criteria)[-1].code


def test_two_levels_away_needs_a_comment(app, cleared):
    client = client_of(app, cleared.assessor)
    page = client.post(_url(cleared), data=score_data("1", "  ", action="next"))
    assert page.status_code == 200
    text = text_of(page)
    assert text.startswith("Fehler:") or "Fehler:" in page.get_data(as_text=True)[:2000]
    assert "Bitte begründen Sie Ihre Bewertung" in text
    assert "weicht um 2 Stufen von der Selbsteinschätzung der Schule (Stufe 3) ab" in text
    assert "Pflichtkriterium" in text  # 1 is also below the minimum 2 of mandatory A.1
    assert re.search(r'value="1"[^>]*checked|checked[^>]*value="1"', page.get_data(as_text=True))
    assert score_of(app, cleared.assignment_id, "A.1") is None
    saved = client.post(_url(cleared), data=score_data("1", "Kein Krisenteam belegt."))
    assert saved.status_code == 302
    assert score_of(app, cleared.assignment_id, "A.1").level == 1


def test_mandatory_below_minimum_needs_a_comment(app, cleared):
    client = client_of(app, cleared.assessor)
    page = client.post(_url(cleared, "A.2"), data=score_data("1"))  # self-rating 2: one away
    text = text_of(page)
    assert page.status_code == 200
    assert "Pflichtkriterium, und Stufe 1 liegt unter der Mindeststufe 2" in text
    assert "weicht" not in text.split("Bitte korrigieren")[1][:400]
    assert client.post(_url(cleared, "A.2"), data=score_data("2")).status_code == 302


def test_no_self_rating_and_optional_needs_no_comment(app, cleared):
    client = client_of(app, cleared.assessor)
    assert "Freiwillig" in text_of(client.get(_url(cleared, "A.3")))
    for level in ("0", "3"):
        answer = client.post(
            _url(cleared, "A.3"),
            data=score_data(level, version="" if level == "0" else "1"),
        )
        assert answer.status_code == 302


def test_a_failed_save_keeps_everything_typed(app, cleared):
    client = client_of(app, cleared.assessor)
    typed = "Mein Entwurf mit\nzwei Zeilen und Umlauten äöü"
    page = client.post(_url(cleared), data={"comment": typed, "version": "", "action": "next"})
    assert page.status_code == 200
    assert "Bitte wählen Sie eine Stufe." in text_of(page)
    assert typed in page.get_data(as_text=True)
    too_long = client.post(_url(cleared), data=score_data("3", "x" * 5001))
    assert "1 Zeichen zu lang" in text_of(too_long)
    assert "x" * 5001 in too_long.get_data(as_text=True)
    assert score_of(app, cleared.assignment_id, "A.1") is None


def test_levels_outside_the_scale_are_refused_in_german(app, cleared):
    client = client_of(app, cleared.assessor)
    for level in ("4", "-1", "abc", "²", "1.5", "99999999999999999999"):
        page = client.post(_url(cleared, "A.3"), data=score_data(level))
        assert page.status_code == 200, level
        assert "Bitte wählen Sie eine der Stufen der Skala." in text_of(page), level
    assert score_of(app, cleared.assignment_id, "A.3") is None


def test_codes_not_in_the_catalogue_are_404(app, cleared):
    client = client_of(app, cleared.assessor)
    for code in ("Z.9", "a.1", "A.1x", "%00"):
        assert client.get(_url(cleared, code)).status_code == 404, code
        assert client.post(_url(cleared, code), data=score_data("2")).status_code == 404, code


def test_a_stale_save_is_refused_and_the_text_kept(app, cleared):
    client = client_of(app, cleared.assessor)
    client.post(_url(cleared), data=score_data("3", "Erste Fassung"))
    client.post(_url(cleared), data=score_data("2", "Zweite Fassung", version="1"))
    page = client.post(_url(cleared), data=score_data("3", "Veraltete Fassung", version="1"))
    assert page.status_code == 200
    text = text_of(page)
    assert "Diese Bewertung wurde inzwischen in einem anderen Fenster gespeichert" in text
    assert "Zweite Fassung" in text and "Veraltete Fassung" in page.get_data(as_text=True)
    assert 'name="version" type="hidden" value="2"' in page.get_data(as_text=True)
    score = score_of(app, cleared.assignment_id, "A.1")
    assert (score.comment, score.version) == ("Zweite Fassung", 2)
    # a new score whose form was built before someone else created it
    client.post(_url(cleared, "A.3"), data=score_data("2", "Neu"))
    stale_new = client.post(_url(cleared, "A.3"), data=score_data("1", "Auch neu", version=""))
    assert "in einem anderen Fenster gespeichert" in text_of(stale_new)
    assert score_of(app, cleared.assignment_id, "A.3").comment == "Neu"


def _submit_review(app, assignment_id: int) -> None:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        review = assignment.review or Review()  # the first score opened the review's draft
        assignment.review = review
        review.recommendation, review.summary = Recommendation.AWARD, "Gut."
        review.submitted_at = utcnow()
        db.session.commit()


def test_read_only_after_the_review_is_submitted(app, cleared):
    client = client_of(app, cleared.assessor)
    client.post(_url(cleared), data=score_data("3", "Stand bei Abgabe"))
    _submit_review(app, cleared.assignment_id)
    page = client.get(_url(cleared))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stand bei Abgabe" in text_of(page) and 'type="radio"' not in html
    assert "nicht mehr ändern" in text_of(page)
    refused = client.post(_url(cleared), data=score_data("0", "Nachträglich", version="1"))
    assert refused.status_code == 302
    assert "nicht mehr änderbar" in text_of(client.get(refused.headers["Location"]))
    assert score_of(app, cleared.assignment_id, "A.1").comment == "Stand bei Abgabe"
    overview = text_of(client.get(f"/review/{cleared.assignment_id}"))
    assert "Ihr Gutachten ist eingereicht." in overview


def test_overview_lists_every_criterion_with_both_levels(app, cleared):
    client = client_of(app, cleared.assessor)
    client.post(_url(cleared), data=score_data("2"))
    page = client.get(f"/review/{cleared.assignment_id}")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    total = _total(app)
    assert f"1 von {total} bewertet" in text
    # every criterion, and "Weiter mit dem ersten offenen Kriterium" (A.2) once more
    assert html.count(f"/review/{cleared.assignment_id}/criteria/") == total + 1
    assert "Schule: Stufe 3 – vorbildlich verankert Sie: Stufe 2 – umgesetzt" in text
    assert text.count("offen") >= total - 1


def test_overview_links_to_completing_the_review_when_that_page_exists(app, cleared):
    html = client_of(app, cleared.assessor).get(f"/review/{cleared.assignment_id}").text
    if "review_submission.submit" in app.view_functions:
        assert f"/review/{cleared.assignment_id}/submit" in html
        assert "Gutachten abgeben" in html
    else:
        assert "Gutachten abgeben" not in html


def test_others_get_404_for_every_scoring_page(app, cleared):
    urls = [f"/review/{cleared.assignment_id}", _url(cleared)]
    for email in (cleared.other, cleared.stranger):
        client = client_of(app, email)
        for url in urls:
            assert client.get(url).status_code == 404, (email, url)
        assert client.post(_url(cleared), data=score_data("2")).status_code == 404
    for email in (cleared.staff, cleared.office):
        client = client_of(app, email)
        for url in urls:
            assert client.get(url).status_code == 403, (email, url)
    assert score_of(app, cleared.assignment_id, "A.1") is None


def test_changed_since_the_request_is_marked_in_the_overview(app, cleared):
    from datetime import timedelta

    from seal_app.applications.models import EvidenceRequest

    client = client_of(app, cleared.assessor)
    client.post(_url(cleared), data=score_data("3"))
    with app.app_context():
        application = db.session.get(Application, cleared.application_id)
        score = db.session.scalar(sa.select(Score).where(Score.criterion_code == "A.1"))
        application.evidence_requests.append(
            EvidenceRequest(
                message="Bitte das Protokoll nachreichen.",
                criteria_codes=["A.1"],
                due_date=utcnow().date() + timedelta(days=7),
                answered_at=score.updated_at + timedelta(minutes=5),
            )
        )
        db.session.commit()
    overview = text_of(client.get(f"/review/{cleared.assignment_id}"))
    assert overview.count("von der Schule ergänzt") == 1
    assert "Die Schule hat nach einer Nachforderung ergänzt. Bitte prüfen Sie: A.1" in overview
    assert "Von der Schule ergänzt, bitte prüfen: A.1" in text_of(client.get("/"))
    page = text_of(client.get(_url(cleared)))
    assert "Bitte das Protokoll nachreichen." in page
