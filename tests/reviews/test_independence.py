"""Independence: an assessor never sees another assessor's scores, comments or
recommendation on the pages they can open (their own review is still open)."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.catalogue import services as catalogue_services
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, Recommendation, Review, Score
from tests.reviews.scoring_setup import cleared_fixture, client_of, score_data  # noqa: F401

OTHER_COMMENT = "Zweitgutachten-Kommentar-7f3a: Konzept wirkt abgeschrieben"
OTHER_SUMMARY = "Zweitgutachten-Zusammenfassung-7f3a"
OTHER_STRENGTHS = "Zweitgutachten-Stärken-7f3a"


def _plant_the_other_review(app, assignment_id: int) -> None:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        catalogue = catalogue_services.from_record(assignment.application.round.catalogue)
        for criterion in catalogue.criteria:
            assignment.scores.append(
                Score(criterion_code=criterion.code, level=0, comment=OTHER_COMMENT)
            )
        assignment.review = Review(
            recommendation=Recommendation.NOT_AWARD,
            summary=OTHER_SUMMARY,
            strengths=OTHER_STRENGTHS,
            advice={"A": OTHER_COMMENT},
            submitted_at=utcnow(),
        )
        db.session.commit()


def _pages(app, cleared) -> list[str]:
    with app.app_context():
        assignment = db.session.get(Assignment, cleared.assignment_id)
        codes = [
            criterion.code
            for criterion in catalogue_services.from_record(
                assignment.application.round.catalogue
            ).criteria
        ]
    application = f"/applications/{cleared.application_id}"
    review = f"/review/{cleared.assignment_id}"
    return [
        "/",
        f"{review}/declaration",
        review,
        *(f"{review}/criteria/{code}" for code in codes),
        application,
        f"{application}/votes",
        f"{application}/submit",
        *(f"{application}/criteria/{code}" for code in codes),
        f"{application}/files/{cleared.pdf_id}",
        f"{application}/files/{cleared.image_id}/preview",
    ]


def test_no_page_shows_another_assessors_work(app, cleared):
    _plant_the_other_review(app, cleared.other_assignment_id)
    client = client_of(app, cleared.assessor)
    client.post(f"/review/{cleared.assignment_id}/criteria/A.1", data=score_data("3", "Meins"))
    opened = 0
    for url in _pages(app, cleared):
        answer = client.get(url)
        assert answer.status_code in (200, 302), url
        body = answer.get_data()
        for secret in (OTHER_COMMENT, OTHER_SUMMARY, OTHER_STRENGTHS):
            assert secret.encode() not in body, url
        opened += answer.status_code == 200
    assert opened >= 50
    own = client.get(f"/review/{cleared.assignment_id}/criteria/A.1").get_data(as_text=True)
    assert "Meins" in own


def test_the_overview_shows_own_levels_only(app, cleared):
    _plant_the_other_review(app, cleared.other_assignment_id)
    client = client_of(app, cleared.assessor)
    text = client.get(f"/review/{cleared.assignment_id}").get_data(as_text=True)
    # the other assessor gave 0 everywhere; this assessor scored nothing yet
    assert "Sie: Stufe 0" not in " ".join(text.split())
    assert "0 von 23 bewertet" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Score.id))) == 23
