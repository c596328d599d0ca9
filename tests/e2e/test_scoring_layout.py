"""The assessor's scoring page below 64rem, where the school's side stands above the
assessor's: the request history's card is as tall as its text, and nothing of the school's
side lies over the level buttons (a target-size problem seen at 412 and 800 px)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page

from seal_app.applications.models import Application, EvidenceRequest, RequestResponse
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import ConflictState
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_assessor_scoring import _log_in
from tests.reviews.scoring_setup import build_scoring

COVERED = """control => {
    const box = control.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const top = document.elementFromPoint(x, y);
    const label = control.labels ? control.labels[0] : undefined;
    const free = control.contains(top) || (label !== undefined && label.contains(top));
    return free ? null : top.outerHTML.slice(0, 120);
}"""


@pytest.fixture
def answered(app, make):
    """A cleared assignment whose criterion A.1 has a request for more, answered."""
    setup = build_scoring(app, make, ConflictState.NONE)
    with app.app_context():
        application = db.session.get(Application, setup.application_id)
        request = EvidenceRequest(
            message="Bitte reichen Sie das aktuelle Krisenkonzept nach.",
            criteria_codes=["A.1"],
            due_date=date.today() + timedelta(days=14),
            answered_at=utcnow(),
        )
        request.responses.append(
            RequestResponse(criterion_code="A.1", text="Das Konzept wurde im März aktualisiert.")
        )
        application.evidence_requests.append(request)
        db.session.commit()
    return setup


@pytest.mark.parametrize("width", [412, 800])
def test_the_history_card_fits_its_text_and_leaves_the_levels_free(answered, page: Page, width):
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, answered.assessor)
    page.goto(f"/review/{answered.assignment_id}/criteria/A.1")
    card = page.locator(".history-item")
    card.wait_for()
    heights = card.evaluate(
        """card => [card.getBoundingClientRect().height,
                    [...card.querySelectorAll('p')].at(-1).getBoundingClientRect().bottom
                      - card.getBoundingClientRect().top]"""
    )
    assert heights[0] < heights[1] + 80, heights  # its text, padding and border: no more

    school_end = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.scoring-school *')]
                          .map(element => element.getBoundingClientRect().bottom))"""
    )
    assessor_top = page.locator(".scoring-assessor").bounding_box()["y"]
    assert school_end <= assessor_top + 1, "the school's side runs into the assessor's"

    controls = page.locator(".scoring-assessor").locator("input[name=level], textarea, button")
    assert controls.count() >= 5
    for index in range(controls.count()):
        control = controls.nth(index)
        control.scroll_into_view_if_needed()
        assert control.evaluate(COVERED) is None, f"control {index} covered at {width} px"
    page.screenshot(path=str(SCREENSHOTS / f"scoring-history-{width}.png"), full_page=True)
    assert_accessible(page, f"scoring-history-{width}")
