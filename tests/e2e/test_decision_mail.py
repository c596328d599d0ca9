"""In the browser: the school follows the link in its decision mail to the feedback page and
downloads the signed certificate from there; axe-core at 1280 and 390 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.certificates.decision_setup import agree_all, award
from tests.e2e.test_visit_and_consensus import _both_widths, _log_in
from tests.notifications.delivery import path_of_link
from tests.reviews.jury_setup import build_meeting, client_of, submit_review


def test_the_school_follows_the_decision_mail_to_its_certificate(
    page: Page, app, make, mail_server, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the office's part, quickly
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    agree_all(app, meeting.application_id)
    award(app, client_of(app, meeting.office), meeting.application_id)
    [mail] = [item for item in mail_server.to(meeting.staff) if "Entscheidung" in item.subject]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    _log_in(page, meeting.staff)
    page.goto(path_of_link(mail))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rückmeldung der Jury")
    link = page.get_by_role("link", name="Urkunde Nr.")
    expect(link).to_be_visible()
    _both_widths(page, "feedback-certificate")
    with page.expect_download() as download:
        link.click()
    name = download.value.suggested_filename
    assert name.endswith(".pdf")
    with open(download.value.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
