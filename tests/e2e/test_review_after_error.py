"""In Chromium at 390 px: an assessor submits a review with the summary and the confirmation
missing; the page keeps her text as a draft and shows the errors, without putting the
browser's older copy (and its older version) over it, so the corrected form submits at once."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seal_app.extensions import db
from seal_app.reviews.models import Assignment
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_check_and_confirmation import _sign_in
from tests.reviews.submission_setup import build_jury, score_all

RESTORED = "Ihre Eingaben sind wieder da – noch nicht gespeichert"
SUBMIT = "Gutachten verbindlich abgeben"


def test_a_review_submits_after_one_error(page: Page, app, make):
    jury = build_jury(app, make)
    score_all(app, jury.assignment_id)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, jury.assessor)
    page.goto(f"/review/{jury.assignment_id}/submit")

    page.get_by_label("verleihen", exact=True).check()
    page.get_by_label("Stärken der Schule", exact=False).fill("Eine gelebte Streitschlichtung.")
    page.get_by_label("Hinweise für die Schule zu A.", exact=False).first.fill(
        "Üben Sie die Räumung auch im Winter."
    )
    page.get_by_role("button", name=SUBMIT).click()

    expect(page.get_by_text("Ihre Eingaben sind als Entwurf gespeichert.")).to_be_visible()
    expect(page.get_by_role("heading", name=RESTORED)).to_be_hidden()
    expect(page.get_by_label("Stärken der Schule", exact=False)).to_have_value(
        "Eine gelebte Streitschlichtung."
    )
    assert_accessible(page, "review-after-error-390")

    page.get_by_label("Zusammenfassung").fill("Die Schule arbeitet überzeugend.")
    page.get_by_label("Zum Abgeben: Ich habe meine Stufen", exact=False).check()
    page.get_by_role("button", name=SUBMIT).click()

    expect(page.get_by_text("Ihr Gutachten ist abgegeben. Vielen Dank!")).to_be_visible()
    expect(page.get_by_text("inzwischen an anderer Stelle gespeichert")).to_have_count(0)
    with app.app_context():
        review = db.session.get(Assignment, jury.assignment_id).review
        assert review.submitted_at is not None
        assert review.summary == "Die Schule arbeitet überzeugend."
        assert review.strengths == "Eine gelebte Streitschlichtung."
