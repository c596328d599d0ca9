"""Attachments are kept with their message: the same bytes on every attempt, after a mail
server that could not be reached comes back."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from seal_app.extensions import db
from seal_app.notifications import outbox
from seal_app.notifications.mime import Attachment
from seal_app.notifications.models import MessageState, OutboxMessage
from tests.mail_server import free_port
from tests.notifications.delivery import check_form, send_everything_again

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def _write(app) -> int:
    school = SimpleNamespace(name="Grundschule am Wall")
    with app.app_context():
        message = outbox.write(
            "review.reopened",
            "test:attachments",
            "arndt@example.org",
            "review_reopened",
            attachments=[
                Attachment("Besuch.ics", "text/calendar; method=REQUEST; charset=utf-8", CALENDAR),
                Attachment("Eingangsbestätigung.pdf", "application/pdf", PDF),
            ],
            user=SimpleNamespace(name="Anna Arndt"),
            application=SimpleNamespace(school=school, round=SimpleNamespace(title="Runde")),
            review=SimpleNamespace(reopen_reason="Bitte prüfen."),
            link="https://siegel.example.org/",
        )
        db.session.commit()
        return message.id


def test_attachments_survive_a_failed_attempt(app, mail_server):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    outbox.mail.init_app(app)
    message_id = _write(app)
    with app.app_context():
        waiting = db.session.get(OutboxMessage, message_id)
        assert waiting.state is MessageState.QUEUED and waiting.attempts == 1
        later = waiting.next_attempt_at + timedelta(seconds=1)
    app.config["MAIL_PORT"] = mail_server.port
    outbox.mail.init_app(app)
    with app.app_context():
        assert outbox.send(message_id, now=later) is MessageState.SENT
    [mail] = mail_server.received
    check_form(mail, attachments=2)
    calendar, pdf = mail.message.iter_attachments()
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content().encode() == CALENDAR
    assert pdf.get_filename() == "Eingangsbestätigung.pdf" and pdf.get_content() == PDF
    send_everything_again(app, mail_server)
