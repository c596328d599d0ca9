"""In Chromium: text typed into a school's criterion page, its answer to a request for more
and an assessor's scoring survives the end of the login (ended on the server, or the cookie
deleted), comes back after logging in with the notice; the warning before the end is
accessible at 1280 and 390 px, and „Angemeldet bleiben“ keeps the login."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from seal_app.applications import evidence_requests
from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import Role, User, UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import ConflictState
from seal_app.schools.models import Position, School, SchoolMembership
from tests.conftest import PASSWORD, login
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.reviews.scoring_setup import build_scoring
from tests.two_factor import complete_login_in_browser

NOTICE = "Ihre Eingaben sind wieder da – noch nicht gespeichert"


@dataclass
class Pages:
    staff: str
    assessor: str
    criterion: str  # a draft application's criterion page
    answer: str  # the criterion page of an application asked for more on A.1
    review: str  # the assessor's scoring page


@pytest.fixture
def pages(app, make) -> Pages:
    """Built before the browser's page turns CSRF on."""
    scoring = build_scoring(app, make, ConflictState.NONE)
    assignment = scoring.assignment_id
    draft_school = make.school(number="75010", name="Regionale Schule Heidberg")
    asked_school = make.school(number="75011", name="Gymnasium an der Nebel")
    staff = make.user(Role.SCHOOL, "koordination@example.org", school_ids=(draft_school,))
    with app.app_context():  # the same person coordinates both schools
        user = db.session.scalar(sa.select(User).where(User.email == staff))
        school = db.session.get(School, asked_school)
        db.session.add(SchoolMembership(user=user, school=school, position=Position.HEAD))
        db.session.commit()
    client = app.test_client()
    login(client, staff)
    ids = []
    for school_id in (draft_school, asked_school):
        started = client.post("/applications/start", data={"school_id": school_id})
        ids.append(int(started.headers["Location"].rsplit("/", 1)[1]))
    with app.app_context():
        asked = db.session.get(Application, ids[1])
        asked.status = ApplicationStatus.SUBMITTED
        jury = db.session.scalar(sa.select(User).where(User.email == scoring.assessor))
        evidence_requests.request_more_evidence(
            asked,
            "Bitte ergänzen Sie das Krisenkonzept.",
            ["A.1"],
            date.today() + timedelta(14),
            jury,
        )
        db.session.commit()
    return Pages(
        staff=staff,
        assessor=scoring.assessor,
        criterion=f"/applications/{ids[0]}/criteria/A.1",
        answer=f"/applications/{ids[1]}/criteria/A.1",
        review=f"/review/{assignment}/criteria/A.1",
    )


def _log_in(page: Page, email: str) -> None:
    """Fill the login page the browser is on (after a redirect, it leads back)."""
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)


def _end_login(app, page: Page, how: str) -> None:
    """The login ends: on the server (unused too long), or the browser loses its cookie."""
    if how == "cookie deleted":
        page.context.clear_cookies()
        return
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=9))
        )
        db.session.commit()


def _lose_and_get_back(app, page: Page, how: str, email: str, path: str, save: str) -> None:
    """Save after the login ended: the login page says the text is kept; logging in leads back
    to the form, which says its text is not yet saved."""
    _end_login(app, page, how)
    page.get_by_role("button", name=save, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_text("Ihre Eingaben sind aufbewahrt", exact=False)).to_be_visible()
    _log_in(page, email)
    page.wait_for_url(f"**{path}")
    expect(page.get_by_role("heading", name=NOTICE)).to_be_visible()


@pytest.mark.parametrize("how", ["ended on the server", "cookie deleted"])
def test_typed_text_survives_the_end_of_the_login(app, pages: Pages, page: Page, how):
    page.set_viewport_size({"width": 390, "height": 844})
    measures = f"Krisenteam und Räumungsübung zweimal im Jahr ({how})."
    answer = f"Das Krisenkonzept 2027 liegt bei ({how})."
    comment = f"Gut belegt, Übungsprotokolle fehlen noch ({how})."

    page.goto("/login")
    _log_in(page, pages.staff)
    page.goto(pages.criterion)
    page.locator("textarea[name=measures]").fill(measures)
    page.locator("#self_rating-2").check()
    page.locator("input[name=file_1]").set_input_files(
        {"name": "konzept.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
    )
    _lose_and_get_back(app, page, how, pages.staff, pages.criterion, "Speichern")
    expect(page.locator("textarea[name=measures]")).to_have_value(measures)
    expect(page.locator("#self_rating-2")).to_be_checked()
    expect(page.get_by_text("Bitte wählen Sie sie noch einmal aus.")).to_be_visible()
    if how == "cookie deleted":
        page.screenshot(path=str(SCREENSHOTS / "kept-draft-criterion-390-top.png"))
        assert_accessible(page, "kept-draft-criterion-390")

    page.goto(pages.answer)
    page.locator("textarea[name=response-text]").fill(answer)
    _lose_and_get_back(app, page, how, pages.staff, pages.answer, "Ergänzung speichern")
    expect(page.locator("textarea[name=response-text]")).to_have_value(answer)

    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_text("Sie haben sich abgemeldet.")).to_be_visible()
    page.wait_for_load_state()  # the logged-out page clears every draft in the browser
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('seal-draft:'))") == []
    _log_in(page, pages.assessor)
    page.goto(pages.review)
    page.locator("input[name=level]").first.check()
    page.get_by_label("Kommentar").fill(comment)
    _lose_and_get_back(app, page, how, pages.assessor, pages.review, "Speichern")
    expect(page.get_by_label("Kommentar")).to_have_value(comment)
    expect(page.locator("input[name=level]").first).to_be_checked()

    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Ihre Bewertung zu .* ist gespeichert"))).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_role("heading", name=NOTICE)).to_be_hidden()
    page.reload()
    expect(page.get_by_label("Kommentar")).to_have_value(comment)  # saved, not a draft
    expect(page.get_by_role("heading", name=NOTICE)).to_be_hidden()


def test_text_typed_and_left_unsaved_is_offered_again_by_the_browser(app, pages: Pages, page):
    page.goto("/login")
    _log_in(page, pages.assessor)
    page.goto(pages.review)
    page.get_by_label("Kommentar").fill("Noch nicht gespeichert, nur getippt.")
    page.wait_for_timeout(1200)  # the browser writes its copy a moment after typing
    page.goto("/")
    page.goto(pages.review)
    expect(page.get_by_label("Kommentar")).to_have_value("Noch nicht gespeichert, nur getippt.")
    expect(page.get_by_role("heading", name=NOTICE)).to_be_visible()


@pytest.fixture
def short_login(app, monkeypatch):
    """Logins unused for 132 seconds end: the warning comes about 12 seconds after a page."""
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", 132)


def test_warning_before_the_login_ends_and_staying_logged_in(
    app, pages: Pages, page: Page, short_login
):
    page.goto("/login")
    _log_in(page, pages.assessor)
    page.goto(pages.review)
    page.get_by_label("Kommentar").click()
    dialog = page.get_by_role("alertdialog", name="Ihre Anmeldung endet bald")
    expect(dialog).to_be_visible(timeout=20_000)
    keep = dialog.get_by_role("button", name="Angemeldet bleiben")
    expect(keep).to_be_focused()
    expect(dialog).to_contain_text("Uhr, wenn Sie nichts tun")
    assert_accessible(page, "session-warning-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "session-warning-390")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.max(UserSession.last_seen_at)))

    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Kommentar")).to_be_focused()  # back where the person was
    with app.app_context():
        after = db.session.scalar(sa.select(sa.func.max(UserSession.last_seen_at)))
    assert after > before
    page.reload()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_warning_when_the_login_cannot_be_extended(app, pages: Pages, page: Page):
    page.goto("/login")
    _log_in(page, pages.assessor)
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(expires_at=utcnow() + timedelta(seconds=100))
        )
        db.session.commit()
    page.goto(pages.review)
    dialog = page.get_by_role("alertdialog", name="Ihre Anmeldung endet bald")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("kann nicht mehr verlängert werden")
    expect(dialog.get_by_role("button", name="Angemeldet bleiben")).to_be_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "session-warning-final-390.png"))
    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()
