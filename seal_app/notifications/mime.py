"""An outbox message as the e-mail that goes out: text and HTML as ``multipart/alternative``,
inside ``multipart/mixed`` with the attachments when there are any; the Message-ID names the
host of ``PUBLIC_BASE_URL``, not the machine that happens to send it."""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlparse

from flask import current_app
from flask_mail import Message

from seal_app.notifications.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    """A file to send with a message. ``content_type`` may carry parameters, such as
    „text/calendar; method=REQUEST; charset=utf-8“."""

    filename: str
    content_type: str
    data: bytes


def mail_domain() -> str:
    """The host of ``PUBLIC_BASE_URL``: the domain of every Message-ID."""
    return urlparse(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


class OutgoingMail(Message):
    """Flask-Mail's message (its connection, sender and header checks) with the MIME tree
    built here: Flask-Mail would wrap a message without attachments in ``multipart/mixed``
    and drop the parameters of an attachment's Content-Type."""

    def __init__(self, built: EmailMessage, **kwargs) -> None:
        super().__init__(**kwargs)
        self.built = built

    def as_bytes(self) -> bytes:
        return self.built.as_bytes()

    def as_string(self) -> str:
        return self.built.as_string()


def outgoing(message: OutboxMessage) -> OutgoingMail:
    config = current_app.config
    reply_to = config.get("MAIL_REPLY_TO") or config["OFFICE_EMAIL"]
    sender = current_app.extensions["mail"].default_sender
    if isinstance(sender, tuple):
        sender = f"{sender[0]} <{sender[1]}>"
    built = _built(message, sender, reply_to)
    return OutgoingMail(
        built,
        subject=message.subject,
        recipients=[message.recipient],
        cc=[message.cc] if message.cc else None,
        sender=sender,
        reply_to=reply_to,
    )


def _built(message: OutboxMessage, sender: str, reply_to: str) -> EmailMessage:
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = message.recipient
    if message.cc:
        mail["Cc"] = message.cc
    mail["Reply-To"] = reply_to
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=mail_domain())
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body_text, cte="quoted-printable")
    mail.add_alternative(message.body_html, subtype="html", cte="quoted-printable")
    for item in message.attachments:
        maintype, subtype, params = _parsed(item.content_type)
        mail.add_attachment(item.data, maintype, subtype, filename=item.filename, params=params)
    return mail


def _parsed(content_type: str) -> tuple[str, str, dict[str, str]]:
    """„text/calendar; method=REQUEST“ as ("text", "calendar", {"method": "REQUEST"})."""
    probe = EmailMessage()
    probe["Content-Type"] = content_type
    header = probe["Content-Type"]
    return header.maintype, header.subtype, dict(header.params)
