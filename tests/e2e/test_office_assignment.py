"""The office assigns assessors in the browser: the proposal, two per application, unassigning."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seal_app.reviews.models import ConflictState
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.reviews.assignment_setup import add_assignment, build_round
from tests.two_factor import complete_login_in_browser


def _log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht der Geschäftsstelle")


def test_office_takes_the_proposal_and_unassigns_one(page: Page, app, make):
    setup = build_round(app, make)
    grundschule = setup.application_ids[0]
    # Dora declared a conflict for the Grundschule: shown for reassignment, skipped below
    add_assignment(app, grundschule, setup.assessor_ids["Dora Dahl"], ConflictState.CONFLICT)
    _log_in(page, setup.office)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Vergaberunden", exact=True
    ).click()
    page.get_by_role("link", name="Zuweisungen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gutachterinnen und Gutachter zuweisen"
    )
    expect(page.get_by_text("1 Befangenheit erklärt: bitte neu zuweisen")).to_be_visible()
    assert_accessible(page, "office-assignments-round")

    page.get_by_role("link", name="Vorschlag für die Zuweisung anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschlag für die Zuweisung")
    expect(page.get_by_text("6 neue Zuweisungen")).to_be_visible()
    assert_accessible(page, "office-assignments-proposal")
    page.get_by_role("button", name="Vorschlag übernehmen").click()

    expect(page.get_by_text("Der Vorschlag ist übernommen: 6 Zuweisungen.")).to_be_visible()
    for application_id in setup.application_ids:
        card = page.locator(f"#application-{application_id}")
        expect(card.get_by_text("2 von 2 Gutachter/innen")).to_be_visible()
    grundschule_card = page.locator(f"#application-{grundschule}")
    expect(grundschule_card.locator(".assignment")).to_have_count(3)  # two and the conflicted
    expect(grundschule_card.locator(".assignment--conflict")).to_contain_text("Dora Dahl")
    assert_accessible(page, "office-assignments-assigned")

    grundschule_card.get_by_role("link", name="Zuweisung entfernen – Anna Arndt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zuweisung entfernen?")
    assert_accessible(page, "office-assignments-unassign")
    page.get_by_role("button", name="Zuweisung endgültig entfernen").click()
    expect(page.get_by_text("Die Zuweisung von Anna Arndt ist entfernt.")).to_be_visible()
    expect(grundschule_card.get_by_text("1 von 2 Gutachter/innen")).to_be_visible()
    expect(grundschule_card.get_by_text("Anna Arndt", exact=True)).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "office-assignments-round-phone")
    grundschule_card.get_by_role("link", name="Grundschule am Wall").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag von Grundschule am Wall")
    expect(
        page.get_by_text("Zuweisung einer Gutachterin / eines Gutachters entfernt")
    ).to_be_visible()
    assert_accessible(page, "office-application-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "office-application")
