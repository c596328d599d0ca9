"""The decision mail leads the school to its feedback page, and the page offers the signed
certificate when the seal was awarded (and only then)."""

from __future__ import annotations

import re

from tests.certificates.decision_setup import decide, release, round_id_of, stored_decision
from tests.conftest import text_of
from tests.notifications.delivery import (
    check_form,
    delivered,
    path_of_link,
    send_everything_again,
    worker,
)
from tests.reviews.jury_setup import client_of

CERTIFICATE_LINK = re.compile(r'href="(/applications/\d+/certificate\.pdf)"')


def _decide_and_release(app, meeting, outcome: str, **extra) -> None:
    office = client_of(app, meeting.office)
    assert decide(office, meeting.application_id, outcome=outcome, **extra).status_code == 302
    shown = [stored_decision(app, meeting.application_id)]
    assert release(office, round_id_of(app, meeting.application_id), shown).status_code == 302


def test_the_decision_mail_leads_to_the_feedback_and_the_certificate(
    app, agreed, mail_server, tmp_path
):
    mail_server.received.clear()  # the round's opening
    with worker(app, tmp_path):
        _decide_and_release(app, agreed, "awarded")
        [mail] = delivered(mail_server, 1)
    assert mail.recipients == [agreed.staff]
    assert mail.subject == "Entscheidung zu Ihrem Antrag: Siegel verliehen"
    check_form(mail)
    school = client_of(app, agreed.staff)
    page = school.get(path_of_link(mail))
    assert path_of_link(mail) == f"/applications/{agreed.application_id}/feedback"
    assert page.status_code == 200 and "Rückmeldung der Jury" in text_of(page)
    assert "Urkunde Nr." in text_of(page)
    [link] = CERTIFICATE_LINK.findall(page.get_data(as_text=True))
    certificate = school.get(link)
    assert certificate.status_code == 200 and certificate.mimetype == "application/pdf"
    assert certificate.data.startswith(b"%PDF")
    send_everything_again(app, mail_server)


def test_without_the_seal_the_feedback_page_offers_no_certificate(app, agreed, mail_server):
    _decide_and_release(
        app, agreed, "not_awarded", departure_rationale="Das Konzept gilt nicht mehr."
    )
    [mail] = mail_server.to(agreed.staff)[-1:]
    page = client_of(app, agreed.staff).get(path_of_link(mail))
    assert page.status_code == 200
    assert not CERTIFICATE_LINK.search(page.get_data(as_text=True))
    assert "Urkunde Nr." not in text_of(page)
