"""In the browser: the office opens a certificate from the application, reads what a revocation
means, is refused without a reason (the error first, also on a phone), revokes with one; the
school then sees the revocation on its home page and the public list no longer names it.
axe-core on every page at 1280 and 390 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seal_app.auth.models import Role
from seal_app.certificates import issuing
from tests.certificates.print_setup import round_with_certificates
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in, _log_out

REASON = "Die Schule hat den Schulsanitätsdienst eingestellt."


def test_the_office_revokes_and_the_school_and_the_public_see_it(page: Page, app, make):
    printed = round_with_certificates(app, make, 2)
    school, number = printed.schools[0], printed.numbers[0]
    office = make.user(Role.OFFICE, "widerruf@example.org", name="Wiebke Widerruf")
    with app.app_context():
        school_id = issuing.by_number(number).application.school_id
    staff = make.user(Role.SCHOOL, "leitung.mueritz@example.org", school_ids=(school_id,))

    _log_in(page, office)
    page.goto("/office/applications/")
    page.get_by_role("link", name=school).click()
    page.get_by_role("link", name=f"Urkunde Nr. {number}, gültig bis", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Urkunde Nr. {number} widerrufen")
    expect(page.locator(".consequences")).to_contain_text("nicht mehr in der öffentlichen Liste")
    expect(page.get_by_text("Ein Widerruf lässt sich nicht zurücknehmen:")).to_be_visible()
    _both_widths(page, "revoke-confirm")

    # Without a reason: refused, the error summary first and focused, also on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name=f"Urkunde Nr. {number} endgültig widerrufen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Bitte nennen Sie den Grund für den Widerruf.")
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < page.get_by_role("heading", level=1).bounding_box()["y"]
    page.set_viewport_size({"width": 1280, "height": 900})
    _both_widths(page, "revoke-refused")

    # A second tab with the same page, still showing the form.
    second_tab = page.context.new_page()
    second_tab.goto(page.url)

    page.get_by_label("Grund des Widerrufs").fill(REASON)
    page.get_by_role("button", name=f"Urkunde Nr. {number} endgültig widerrufen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"Die Urkunde Nr. {number} ist widerrufen."
    )
    expect(page.locator(".revoked-state")).to_contain_text(REASON)
    _both_widths(page, "revoke-done")

    # Revoking again in the second tab: one revocation stays, with a clear message.
    second_tab.get_by_label("Grund des Widerrufs").fill("Noch einmal")
    second_tab.get_by_role("button", name=f"Urkunde Nr. {number} endgültig widerrufen").click()
    expect(second_tab.get_by_text(f"Die Urkunde Nr. {number} war schon widerrufen")).to_be_visible()
    expect(second_tab.locator(".revoked-state")).to_contain_text(REASON)
    second_tab.close()
    _log_out(page)

    _log_in(page, staff)
    notice = page.locator(".revoked-notice")
    expect(notice).to_contain_text("Urkunde widerrufen am")
    expect(notice).to_contain_text(REASON)
    _both_widths(page, "revoke-school-home")

    page.goto("/siegelschulen")
    expect(page.get_by_text(printed.schools[1])).to_be_visible()
    expect(page.get_by_text(school)).to_have_count(0)
    _both_widths(page, "revoke-public-list")
