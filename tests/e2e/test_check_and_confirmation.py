"""The check before submitting (with the award-rule warning), the confirmation afterwards and
the school's home with the next steps, in Chromium at 1280 and 390 px."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.rounds.services import create_round
from tests.applications.test_journey import _complete_everything
from tests.conftest import PASSWORD, login
from tests.e2e.conftest import PROJECT, assert_accessible
from tests.two_factor import complete_login_in_browser


@pytest.fixture
def ready_application(app, make) -> tuple[str, int]:
    """A school whose mandatory parts are complete at level 2: submittable, below the rule."""
    school_id = make.school(number="75001", name="Grundschule am Wall")
    with app.app_context():
        deadline = date.today() + timedelta(days=90)
        round_ = create_round(date.today().year + 1, deadline, "2026.1", None)
        round_.review_until = deadline + timedelta(days=30)
        round_.decision_expected_on = deadline + timedelta(days=60)
        db.session.commit()
    email = make.user(Role.SCHOOL, "leitung@example.org", school_ids=(school_id,))
    client = app.test_client()
    login(client, email)
    started = client.post("/applications/start", data={"school_id": school_id})
    application_id = int(started.headers["Location"].rsplit("/", 1)[1])
    _complete_everything(client, application_id)
    return email, application_id


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)


def _no_sideways_scroll(page: Page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"


def test_check_page_warns_then_confirmation_says_what_comes_next(
    ready_application, page: Page, app
):
    email, application_id = ready_application
    _sign_in(page, email)
    page.goto(f"/applications/{application_id}")
    mandatory = page.locator(".task-title", has=page.locator("#task-A\\.1"))
    expect(mandatory.locator(".kern-badge")).to_have_text("Pflicht")
    assert_accessible(page, "application-overview-mandatory-tags")
    page.goto(f"/applications/{application_id}/submit")
    warning = page.locator(".award-check")
    expect(warning.get_by_role("heading")).to_have_text(
        "Nach Ihrer Selbsteinschätzung reicht es nicht für das Siegel"
    )
    expect(warning).to_contain_text("der möglichen Punkte; für das Siegel sind mindestens 60 %")
    expect(page.locator(".check-item")).to_have_count(23 + 3)
    expect(page.get_by_role("link", name=re.compile(r"^ändern\W*A\.1 "))).to_have_count(1)
    button = page.get_by_role("button", name="Antrag verbindlich einreichen")
    hint = page.locator(".ready-box").get_by_text("Hinweis: Nach Ihrer Selbsteinschätzung")
    assert hint.bounding_box()["y"] < button.bounding_box()["y"] < warning.bounding_box()["y"]
    assert_accessible(page, "application-check-warning")
    warning.scroll_into_view_if_needed()
    page.screenshot(path=str(PROJECT / "test-artifacts/screenshots/check-warning-view.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert_accessible(page, "application-check-warning-phone")
    _no_sideways_scroll(page, "check page")
    phone_button = page.get_by_role("button", name="Antrag verbindlich einreichen")
    overview = page.get_by_role("heading", name="Ihre Angaben im Überblick")
    assert phone_button.bounding_box()["y"] < overview.bounding_box()["y"]
    assert phone_button.bounding_box()["y"] < 2 * 844, "the submit action is near the top"
    page.locator(".award-check").scroll_into_view_if_needed()
    page.screenshot(path=str(PROJECT / "test-artifacts/screenshots/check-warning-phone-view.png"))

    page.get_by_role("button", name="Antrag verbindlich einreichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist eingereicht")
    expect(page.get_by_text("Die Jury prüft die Anträge bis zum")).to_be_visible()
    expect(page.locator("main").get_by_text(app.config["OFFICE_EMAIL"])).to_be_visible()
    assert_accessible(page, "application-submitted-phone")
    _no_sideways_scroll(page, "confirmation")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "application-submitted")

    response = page.request.get(f"/applications/{application_id}/receipt.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    (PROJECT / "test-artifacts").mkdir(exist_ok=True)
    (PROJECT / "test-artifacts" / "receipt-submitted.pdf").write_bytes(response.body())

    page.goto("/")
    expect(page.get_by_role("heading", name="So geht es weiter")).to_be_visible()
    assert_accessible(page, "home-school-submitted")
    page.goto(f"/applications/{application_id}")
    expect(page.locator(".kern-task-list")).not_to_contain_text("in Arbeit")
    expect(page.locator(".kern-task-list")).not_to_contain_text("nicht begonnen")
    assert_accessible(page, "application-overview-submitted-ratings")
    with app.app_context():
        assert db.session.scalars(sa.select(Round)).one().review_until is not None


def test_office_sees_submitted_count_school_applications_and_round_dates(
    ready_application, page: Page, app, make
):
    _email, application_id = ready_application
    office = make.user(Role.OFFICE, "buero@example.org")
    with app.app_context():
        round_id = db.session.scalars(sa.select(Round.id)).one()
        school_id = db.session.scalars(sa.text("select school_id from applications")).one()
    _sign_in(page, office)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        submitted = re.compile("^eingereichte(r Antrag wartet| Anträge warten) auf Gutachtende$")
        expect(page.get_by_role("link", name=submitted)).to_be_visible()
        assert_accessible(page, f"home-office-{width}")
        page.goto(f"/office/schools/{school_id}")
        link = page.get_by_role("link", name=re.compile("Vergaberunde .*, Erstantrag"))
        expect(link).to_have_attribute("href", f"/applications/{application_id}")
        assert_accessible(page, f"school-show-applications-{width}")
        page.goto(f"/office/rounds/{round_id}/edit")
        expect(page.get_by_label(re.compile("Begutachtung durch die Jury bis"))).to_be_visible()
        assert_accessible(page, f"round-edit-dates-{width}")
        if width == 390:
            _no_sideways_scroll(page, "round form")
