"""A failed save on a phone: the error summary is the first thing seen and focused, the title
says „Fehler:“, and everything typed is still there."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from tests.applications import samples
from tests.conftest import PASSWORD
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.two_factor import complete_login_in_browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASTED = ("Wir üben zweimal im Jahr die Räumung mit allen Klassen. " * 200)[:10_050]


@pytest.fixture
def school_user(app, make):
    school_id = make.school(number="75001", name="Grundschule am Wall")
    with app.app_context():
        create_round(date.today().year + 1, date.today() + timedelta(days=90), "2026.1", None)
        db.session.commit()
    return make.user(
        Role.SCHOOL, "leitung@example.org", school_ids=(school_id,), name="Lena Leitung"
    )


def _log_in_and_start(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)
    page.get_by_role("button", name=re.compile("Antrag beginnen")).click()


def assert_error_summary_first_and_focused(page: Page) -> None:
    expect(page).to_have_title(re.compile(r"^Fehler: "))  # waits for the page the form sent
    expect(page.locator(".error-summary")).to_be_focused()  # autofocus, on the first paint
    box = page.evaluate(
        """() => {
          const summary = document.querySelector('.error-summary');
          const title = summary.querySelector('h2').getBoundingClientRect();
          const heading = document.querySelector('h1').getBoundingClientRect();
          return {top: summary.getBoundingClientRect().top, titleBottom: title.bottom,
                  heading: heading.top, screen: window.innerHeight};
        }"""
    )
    assert box["top"] >= 0 and box["titleBottom"] <= box["screen"], box
    assert box["top"] < box["heading"], "the summary stands above the heading"


def _first_screen(page: Page, name: str) -> None:
    """What a person sees without scrolling, kept for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-first-screen.png"))


def test_failed_registration_on_a_phone(page: Page, make):
    make.school(number="75001", name="Grundschule am Wall")
    page.set_viewport_size(PHONE)
    page.goto("/register")
    page.get_by_label("Schulnummer").fill("7500")
    page.get_by_label("Ihr Name").fill("Lena Leitung")
    page.get_by_label("E-Mail-Adresse").fill("leitung@example")
    page.get_by_role("button", name="Zugang beantragen").click()
    assert_error_summary_first_and_focused(page)
    expect(page.get_by_label("Schulnummer")).to_have_value("7500")
    expect(page.get_by_label("Ihr Name")).to_have_value("Lena Leitung")
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value("leitung@example")
    _first_screen(page, "register-error-phone")
    assert_accessible(page, "register-error-phone")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, "register-error")


def test_failed_criterion_save_on_a_phone(page: Page, school_user):
    page.set_viewport_size(PHONE)
    _log_in_and_start(page, school_user)
    page.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept").click()
    page.get_by_label("2 – umgesetzt").check()
    measures = page.get_by_label("Was tut Ihre Schule zu diesem Kriterium?")
    measures.fill(PASTED)
    assert len(measures.input_value()) == 10_050, "the browser must not cut pasted text"
    page.get_by_label("Seit wann?").fill("Seit dem Schuljahr 2019/2020")
    page.locator("button[name=action][value=save]").click()
    assert_error_summary_first_and_focused(page)
    expect(page.locator(".error-summary")).to_contain_text(
        "Der Text ist 50 Zeichen zu lang (höchstens 10.000 Zeichen)."
    )
    assert measures.input_value() == PASTED
    expect(page.get_by_label("Seit wann?")).to_have_value("Seit dem Schuljahr 2019/2020")
    expect(page.get_by_label("2 – umgesetzt")).to_be_checked()
    _first_screen(page, "criterion-error-phone")
    assert_accessible(page, "criterion-error-phone")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, "criterion-error")


def test_all_three_votes_saved_in_one_go_on_a_phone(page: Page, school_user, tmp_path):
    document = tmp_path / "Beschluss.pdf"
    document.write_bytes(samples.pdf("Beschluss"))
    refused = tmp_path / "Zustimmung.txt"
    refused.write_text("kein Dokument")
    page.set_viewport_size(PHONE)
    _log_in_and_start(page, school_user)
    page.goto(page.url + "/votes")
    kinds = ("school_conference", "school_authority", "prevention_council")
    for kind in kinds:
        vote = page.locator(f"#vote-{kind}")
        vote.get_by_label("Datum").fill("2026-03-12")
        vote.get_by_label("Dokument (PDF, JPEG, PNG, ODT oder DOCX)").set_input_files(
            refused if kind == "school_authority" else document
        )
    page.get_by_role("button", name="Speichern", exact=True).click()
    # one document refused: nothing saved, the reason named, every date and file kept
    assert_error_summary_first_and_focused(page)
    expect(page.locator(".error-summary")).to_contain_text("Zustimmung des Staatlichen Schulamts")
    for kind in kinds:
        expect(page.locator(f"#vote-{kind}").get_by_label("Datum")).to_have_value("2026-03-12")
    expect(page.get_by_text("Schon hochgeladen, wird mit dem Speichern übernommen:")).to_have_count(
        2
    )
    expect(page.get_by_text("Noch nicht gespeichert.")).to_have_count(2)
    expect(page.get_by_text("Noch nicht erfasst.")).to_have_count(1)
    assert_accessible(page, "votes-error-phone")
    page.locator("#vote-school_authority").get_by_label(
        "Dokument (PDF, JPEG, PNG, ODT oder DOCX)"
    ).set_input_files(document)
    page.get_by_role("button", name="Speichern", exact=True).click()
    for label in (
        "Beschluss der Schulkonferenz",
        "Zustimmung des Staatlichen Schulamts",
        "Votum des Kommunalen Präventionsrats",
    ):
        expect(page.get_by_text(f"{label} ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Vom 12. März 2026:")).to_have_count(3)
    expect(page.get_by_role("link", name="Antrag prüfen und einreichen")).to_be_visible()
    expect(page.get_by_role("link", name="Zur Übersicht", exact=True)).to_be_visible()
    assert not page.title().startswith("Fehler")
    assert_accessible(page, "votes-saved-phone")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, "votes-saved")
