"""In the browser: the office adopts the proposals, settles the one divergent criterion with a
reason and sees the reason in its decision; an assessor finds a school of the round by
searching, declares a conflict, and the office's proposal leaves that pair out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_visit_and_consensus import DESKTOP, PHONE, _log_in
from tests.reviews.assignment_setup import build_round
from tests.reviews.jury_setup import build_meeting, submit_review

REASON = "Nach dem Besuch einig: Konzept da, aber nicht geübt (siehe Diskussion vom 3.3.)."


def _both_widths(page: Page, name: str) -> None:
    assert_accessible(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{name}-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)


def test_the_office_settles_a_divergent_criterion_with_a_reason(page: Page, app, make):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id, {"B.2": 2})
    submit_review(app, meeting.second_assignment_id, {"B.2": 0})
    _log_in(page, meeting.office)
    page.goto(f"/applications/{meeting.application_id}/consensus")
    expect(page.locator("#row-B\\.2")).to_contain_text("Abweichung – bitte besprechen")
    _both_widths(page, "consensus-flagged")

    page.get_by_role("button", name="Alle Vorschläge übernehmen").click()
    expect(
        page.get_by_text("22 Vorschläge übernommen. 1 Kriterium mit abweichenden")
    ).to_be_visible()
    remaining = page.locator("#unsettled")
    expect(remaining).to_contain_text("1 Kriterium mit abweichenden Bewertungen braucht noch")
    expect(page.get_by_role("link", name="Zur Entscheidung")).to_have_count(0)
    _both_widths(page, "consensus-remaining")

    remaining.get_by_role("link", name="B.2", exact=False).click()
    page.get_by_label("Vereinbarte Stufe für B.2").select_option("1")
    page.get_by_role("button", name="Stufe speichern (B.2)").click()
    expect(page.locator("#row-B\\.2")).to_contain_text("Die Gutachten liegen hier weit auseinander")
    expect(page.get_by_label("Vereinbarte Stufe für B.2")).to_have_value("1")  # kept
    page.get_by_label("Begründung der Einigung zu B.2").fill(REASON)
    page.get_by_role("button", name="Stufe speichern (B.2)").click()
    expect(page.get_by_text("Die Stufe für B.2 ist gespeichert.")).to_be_visible()
    expect(page.locator("#unsettled")).to_have_count(0)

    page.get_by_role("link", name="Zur Entscheidung").first.click()
    settled = page.locator("#settled-B\\.2")
    expect(settled).to_contain_text("Anna Arndt: Stufe 2")
    expect(settled).to_contain_text("Bernd Brandt: Stufe 0")
    expect(settled).to_contain_text("Vereinbarte Stufe: 1")
    expect(settled).to_contain_text(REASON)
    for_school = page.get_by_label("Text für die Schule zu B.2")
    expect(for_school).to_be_hidden()  # until the reason is chosen for the feedback
    page.get_by_label("Begründung zu B.2 in die Rückmeldung an die Schule aufnehmen").check()
    expect(for_school).to_be_visible()
    expect(for_school).to_have_value(REASON)  # the jury's reason, to be worded for the school
    page.get_by_label("Siegel verliehen", exact=False).first.check()
    page.get_by_label("Begründung", exact=True).fill("Ein gelebtes Sicherheitskonzept.")
    page.get_by_role("button", name="Entscheidung vorbereiten").click()
    expect(
        page.get_by_text("Der Text verweist auf die Diskussion", exact=False).first
    ).to_be_visible()
    _both_widths(page, "decision-school-wording-refused")
    for_school.fill("Das Konzept ist da, die Räumung wurde aber noch nicht geübt.")
    page.get_by_role("button", name="Entscheidung vorbereiten").click()
    expect(page.get_by_text("Die Entscheidung ist vorbereitet.")).to_be_visible()
    expect(page.locator("#settled-B\\.2")).to_contain_text(REASON)
    expect(
        page.get_by_label("Begründung zu B.2 in die Rückmeldung an die Schule aufnehmen")
    ).to_be_checked()
    _both_widths(page, "decision-settled-reasons")


def test_an_assessor_declares_a_conflict_and_the_proposal_leaves_the_pair_out(
    page: Page, app, make
):
    setup = build_round(app, make)
    heidberg = setup.application_ids[1]
    anna_id = setup.assessor_ids["Anna Arndt"]
    _log_in(page, setup.assessor_emails["Anna Arndt"])
    page.get_by_role("link", name="Befangenheit für die Runde erklären").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Befangenheit für die Runde erklären")
    expect(page.locator("#school-count")).to_contain_text("3 von 3 Schulen")
    _both_widths(page, "round-conflicts")

    page.get_by_label("Schule suchen").fill("heidb")  # filtered as one types
    expect(page.locator("#school-count")).to_contain_text("1 von 3 Schulen")
    expect(page.get_by_label("befangen – Grundschule am Wall")).to_be_hidden()
    page.get_by_label("befangen – Regionale Schule Heidberg").check()
    page.get_by_role("button", name="Erklärungen speichern").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Bitte nennen Sie den Grund Ihrer Befangenheit."
    )
    expect(page.get_by_label("befangen – Regionale Schule Heidberg")).to_be_checked()
    _both_widths(page, "round-conflicts-error")
    page.get_by_label("Grund – Regionale Schule Heidberg").fill("Mein Sohn lernt dort.")
    page.get_by_role("button", name="Erklärungen speichern").click()
    expect(page.get_by_text("1 Erklärung gespeichert.")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()

    _log_in(page, setup.office)
    page.goto(f"/office/rounds/{setup.round_id}/assignments")
    expect(page.get_by_text("Anna Arndt (1 Schule)")).to_be_visible()
    expect(page.get_by_text("„Mein Sohn lernt dort.“")).to_be_visible()
    page.get_by_role("link", name="Vorschlag für die Zuweisung anzeigen").click()
    expect(page.get_by_text("6 neue Zuweisungen")).to_be_visible()
    expect(page.locator(f'input[name="pair"][value="{heidberg}-{anna_id}"]')).to_have_count(0)
    expect(page.locator(f'input[name="pair"][value^="{heidberg}-"]')).to_have_count(2)
