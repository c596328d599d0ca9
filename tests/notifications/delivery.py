"""Helpers for the tests of single messages: a real worker delivering to the SMTP server on
loopback, sending everything a second time, and the checks every message must pass."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import icalendar
import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.notifications import outbox
from seal_app.notifications.models import OutboxMessage
from tests.mail_server import Inbox, Received
from tests.task_queue import real_queue

DOMAIN = "siegel.example.org"  # the host of PUBLIC_BASE_URL in the tests


@contextmanager
def worker(app, folder: Path) -> Iterator[None]:
    """A worker on a real queue, as in production, for the block."""
    with real_queue(app, folder) as start_worker:
        start_worker()
        yield


def delivered(inbox: Inbox, count: int) -> list[Received]:
    """Wait for ``count`` messages; fail if more or fewer arrive."""
    received = inbox.wait_for(count)
    assert len(received) == count, [item.subject for item in received]
    return received


def send_everything_again(app, inbox: Inbox) -> None:
    """What a worker retrying, or a second worker, would do: nothing reaches anyone twice."""
    before = len(inbox.received)
    with app.app_context():
        for message_id in db.session.scalars(sa.select(OutboxMessage.id)):
            assert outbox.send(message_id) is None
        outbox.send_waiting()
    assert len(inbox.received) == before


def path_of_link(mail: Received) -> str:
    """The path of the app's link in the message (the first one)."""
    return urlparse(re.search(rf"https://{re.escape(DOMAIN)}/\S*", mail.text).group(0)).path


def check_form(mail: Received, attachments: int = 0) -> None:
    """Message-ID on the public host, a whole HTML document titled with the subject in German,
    and the MIME tree: ``multipart/alternative`` alone, or inside ``multipart/mixed`` with the
    attachments."""
    message = mail.message
    assert message["Message-ID"].strip("<>").rsplit("@", 1)[1] == DOMAIN
    page = mail.html
    assert '<html lang="de">' in page
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S).group(1)
    assert html.unescape(title) == mail.subject
    if not attachments:
        assert message.get_content_type() == "multipart/alternative"
        alternative = message
    else:
        assert message.get_content_type() == "multipart/mixed"
        alternative, *files = message.iter_parts()
        assert alternative.get_content_type() == "multipart/alternative"
        assert len(files) == attachments
        assert all(item.get_content_disposition() == "attachment" for item in files)
    assert [item.get_content_type() for item in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
    ]


def attachment(mail: Received, content_type: str):
    [found] = [
        item for item in mail.message.iter_attachments() if item.get_content_type() == content_type
    ]
    return found


def calendar_of(mail: Received) -> tuple[icalendar.Calendar, icalendar.Event]:
    part = attachment(mail, "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    return calendar, event
