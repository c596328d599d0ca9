"""The office reads and filters the audit log, also on a phone; the public pages a visitor
needs (legal pages, accessibility, catalogue) pass axe at phone width."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from seal_app.applications.models import Application, ApplicationKind
from seal_app.audit.services import record
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.schools.models import School
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_office_pages import _log_in_office, _menu

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def logged_changes(app, make, accounts):
    """A few entries for two schools, one with a long change list."""
    north = make.school(number="75030", name="Grundschule Nord")
    south = make.school(number="75031", name="Gymnasium Süd")
    with app.app_context():
        round_ = create_round(2027, date(2027, 6, 30), "2026.1", None)
        application = Application(school_id=north, round_id=round_.id, kind=ApplicationKind.FIRST)
        db.session.add(application)
        db.session.flush()
        record("application.started", application, None, school_id=north, kind="first")
        record("application.submitted", application, None)
        record(
            "school.updated",
            db.session.get(School, south),
            None,
            changes={
                "name": {"old": "Gymnasium", "new": "Gymnasium Süd"},
                "street": {"old": "Am Wall 1", "new": "Schulstraße 12"},
                "email": {"old": None, "new": "sekretariat@gymnasium-sued.example.org"},
            },
        )
        db.session.commit()
    return north, south


def test_office_reads_and_filters_the_audit_log(page: Page, accounts, logged_changes):
    _log_in_office(page, accounts)
    _menu(page, "Protokoll").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll der Änderungen")
    table = page.get_by_role("region", name="Protokoll, Seite 1")
    expect(table).to_have_attribute("tabindex", "0")
    expect(table).to_contain_text("Antrag eingereicht")
    expect(table).to_contain_text("Name der Schule: „Gymnasium“ → „Gymnasium Süd“")
    assert_accessible(page, "office-audit-1280")

    page.set_viewport_size(PHONE)
    assert_accessible(page, "office-audit-390")  # the scroll container is reachable by keyboard
    page.get_by_label("Schule", exact=True).select_option(label="Grundschule Nord (Güstrow)")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("status")).to_contain_text("2 Einträge")
    expect(table).not_to_contain_text("Gymnasium Süd")
    expect(table.get_by_role("link", name="Grundschule Nord").first).to_be_visible()
    table.focus()
    page.keyboard.press("ArrowRight")
    assert_accessible(page, "office-audit-filtered-390")
    table.get_by_role("link", name="Antrag, Vergaberunde 2027").first.click()
    expect(page).to_have_url(re.compile(r"/applications/\d+$"))


@pytest.mark.parametrize(
    ("path", "heading", "name"),
    [
        ("/impressum", "Impressum", "imprint"),
        ("/datenschutz", "Datenschutzerklärung", "privacy"),
        ("/accessibility", "Erklärung zur Barrierefreiheit", "accessibility"),
    ],
)
def test_visitor_reads_the_legal_pages_on_a_phone(page: Page, path, heading, name):
    page.set_viewport_size(PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="Impressum")).to_be_visible()
    expect(footer.get_by_role("link", name="Datenschutz")).to_be_visible()
    expect(footer.get_by_role("link", name="03843 755-0")).to_be_visible()
    assert_accessible(page, f"{name}-390")


def test_visitor_finds_an_area_of_the_catalogue_on_a_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/catalogue/")
    assert_accessible(page, "catalogue-390")
    contents = page.get_by_role("navigation", name="Bereiche")
    contents.locator('a[href="#area-E"]').click()
    expect(page).to_have_url(re.compile(r"#area-E$"))
    page.locator("#area-E ~ .back-to-top a").click()
    expect(page).to_have_url(re.compile(r"#toc-title$"))


def test_the_page_jumps_instead_of_gliding_for_whoever_asked_for_less_motion(page: Page):
    """KERN scrolls smoothly to an anchor; a system set to reduce motion gets a jump."""
    scrolling = "getComputedStyle(document.documentElement).scrollBehavior"
    page.emulate_media(reduced_motion="no-preference")
    page.goto("/catalogue/")
    assert page.evaluate(scrolling) == "smooth"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(scrolling) == "auto"
    page.get_by_role("navigation", name="Bereiche").locator('a[href="#area-E"]').click()
    # no animation to wait for: the heading is at the top at once
    top = page.evaluate("document.getElementById('area-E').getBoundingClientRect().top")
    assert abs(top) < 200, f"the area heading is {top}px from the top right after the click"
