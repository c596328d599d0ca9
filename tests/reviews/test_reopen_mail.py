"""The assessor hears by e-mail, with the office's reason, that a submitted review is open
again: through the real queue, once per reopening."""

from __future__ import annotations

from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment
from tests.conftest import text_of
from tests.notifications.delivery import (
    check_form,
    delivered,
    path_of_link,
    send_everything_again,
    worker,
)
from tests.reviews.jury_setup import build_meeting, client_of, submit_review


def _reopen(office, assignment_id: int, reason: str, version: int):
    return office.post(
        f"/office/reviews/{assignment_id}/reopen", data={"reason": reason, "version": version}
    )


def _submit_again(app, assignment_id: int) -> int:
    with app.app_context():
        review = db.session.get(Assignment, assignment_id).review
        review.submitted_at = utcnow()
        db.session.commit()
        return review.version


def test_the_assessor_hears_of_a_reopened_review_with_the_reason(app, make, mail_server, tmp_path):
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    mail_server.received.clear()  # the round's opening
    office = client_of(app, meeting.office)
    with worker(app, tmp_path):
        reason = "Bitte B.1 noch einmal prüfen: die Stufe passt nicht zum Kommentar."
        assert _reopen(office, meeting.first_assignment_id, reason, 1).status_code == 302
        assert _reopen(office, meeting.first_assignment_id, "Noch einmal", 1).status_code == 200
        [mail] = delivered(mail_server, 1)
        version = _submit_again(app, meeting.first_assignment_id)
        _reopen(office, meeting.first_assignment_id, "Und A.2 bitte auch.", version)
        second = delivered(mail_server, 2)[1]
    assert mail.recipients == [meeting.first]
    assert mail.subject == "Ihr Gutachten ist wieder geöffnet: Grundschule am Wall"
    assert reason in mail.text and "Noch einmal" not in mail.text
    check_form(mail)
    assessor = client_of(app, meeting.first)
    page = assessor.get(path_of_link(mail))
    assert page.status_code == 200  # open again, with the latest reason
    assert "Und A.2 bitte auch." in text_of(page)
    assert second.recipients == [meeting.first] and "Und A.2 bitte auch." in second.text
    send_everything_again(app, mail_server)
