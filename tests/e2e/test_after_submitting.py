"""After submitting, in Chromium at 1280 and 390 px: quiet tags, the confirmation with the
checksum in small print, the open request on the home page, answered criteria marked,
missing ones linked; and the accessibility statement."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from seal_app.applications import evidence_requests
from seal_app.applications.models import Application
from seal_app.auth.models import Role, User
from seal_app.extensions import db
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_check_and_confirmation import (
    _no_sideways_scroll,
    _sign_in,
    ready_application,  # noqa: F401 (a fixture)
)

WIDTHS = (1280, 390)


def _request_and_answer_one(app, make, email: str, application_id: int) -> None:
    assessor = make.user(Role.ASSESSOR, "jury@example.org")
    with app.app_context():
        application = db.session.get(Application, application_id)
        jury = db.session.scalar(sa.select(User).where(User.email == assessor))
        school_user = db.session.scalar(sa.select(User).where(User.email == email))
        evidence_requests.request_more_evidence(
            application, "Bitte ergänzen Sie A.1 und C.1.", ["A.1", "C.1"], date(2027, 5, 15), jury
        )
        evidence_requests.save_request_response(
            application, "A.1", "Das Konzept ist aktualisiert.", None, school_user
        )
        db.session.commit()


def test_school_after_submitting(ready_application, page: Page, app, make):  # noqa: F811
    email, application_id = ready_application
    _sign_in(page, email)
    page.goto(f"/applications/{application_id}")
    badge = page.locator(".task-title .kern-badge").first
    assert badge.evaluate("e => getComputedStyle(e).borderTopWidth") == "0px"
    assert badge.bounding_box()["height"] < 28, "a tag, not a button"
    page.get_by_role("link", name="Antrag prüfen und einreichen").click()
    page.get_by_role("button", name="Antrag verbindlich einreichen").click()
    expect(page.locator(".receipt-checksum")).to_contain_text(
        "Prüfsumme (SHA-256) der Eingangsbestätigung"
    )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"submitted-checksum-{width}")
    page.goto(f"/applications/{application_id}/submit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag eingereicht")

    _request_and_answer_one(app, make, email, application_id)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        alert = page.locator(".request-alert")
        expect(alert).to_contain_text("bitte ergänzen bis 15. Mai 2027")
        expect(alert.get_by_role("link", name="C.1")).to_be_visible()
        assert_accessible(page, f"home-school-request-{width}")
        if width == 390:
            _no_sideways_scroll(page, "home with request")

    page.locator(".request-alert").get_by_role("link", name="Nachforderung beantworten").click()
    expect(page.locator("#task-A\\.1").locator("xpath=ancestor::li")).to_contain_text("ergänzt")
    expect(page.locator("#task-C\\.1").locator("xpath=ancestor::li")).to_contain_text(
        "nachgefordert"
    )
    request = page.locator(".request-alert")
    expect(request.get_by_role("button", name="Ergänzungen einreichen")).to_have_count(0)
    expect(request).to_contain_text("Sobald Sie zu jedem betroffenen Kriterium eine Ergänzung")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"overview-supplement-missing-{width}")
    request.get_by_role("link", name="C.1").click()
    expect(page.get_by_role("heading", name="Ihre Ergänzung zur Nachforderung")).to_be_visible()


def test_accessibility_statement(page: Page):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/accessibility")
        expect(page.get_by_text("teilweise vereinbar")).to_be_visible()
        assert_accessible(page, f"accessibility-statement-{width}")
