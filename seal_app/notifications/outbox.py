"""Writing e-mail into the outbox and sending it with the task queue.

A message is written in the caller's transaction, once per event (its ``event_key`` is
unique), rendered in German with a plain-text body and an HTML alternative, with any
attachments stored beside it so that every attempt sends the same bytes. After the commit
the worker sends it (``deliver``). A mail server that cannot be reached leaves the message
waiting: ``send_waiting`` (run by the sweeper every minute) tries again, with growing
pauses, until ``MAIL_MAX_ATTEMPTS``; a recipient the server refuses fails at once. The
office reads the outbox (``/office/outbox``). Without ``MAIL_SERVER`` nothing is written:
mail is off.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from seal_app.db_types import utcnow
from seal_app.extensions import db, mail
from seal_app.notifications.mime import Attachment, outgoing
from seal_app.notifications.models import MessageState, OutboxAttachment, OutboxMessage
from seal_app.security import SECRET_LINK
from seal_app.tasks import background, enqueue

log = logging.getLogger(__name__)

# A message being sent is claimed for this long; a worker killed while sending leaves it
# claimed, and the sweeper (seal_app.operations.sweeper) then gives it back to the queue.
SENDING_LEASE = timedelta(minutes=5)
LINK = re.compile(r"https?://[^\s<>\"]+")
# a one-time link to set a password (security.SECRET_LINK): kept in the outbox only until the
# message is sent
HIDDEN = r"\1[nach dem Versand entfernt]"


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link for a message, built on ``PUBLIC_BASE_URL`` (also outside a request)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def write(
    event: str,
    key: str,
    recipient: str,
    template: str,
    cc: str = "",
    attachments: Sequence[Attachment] = (),
    **context: Any,
) -> OutboxMessage | None:
    """Put a message about ``event`` (identified by ``key``) into the outbox, in the caller's
    transaction; None when mail is off or the event has already been written."""
    if not mail_enabled() or not recipient:
        return None
    exists = sa.select(OutboxMessage.id).where(OutboxMessage.event_key == key)
    if db.session.scalar(exists) is not None:
        return None
    subject, text = render(template, **context)
    message = OutboxMessage(
        event=event,
        event_key=key,
        recipient=recipient,
        cc=cc,
        subject=subject,
        body_text=text,
        body_html=html_of(text, subject),
        attachments=[
            OutboxAttachment(
                filename=item.filename,
                content_type=item.content_type,
                size=len(item.data),
                data=item.data,
            )
            for item in attachments
        ],
    )
    db.session.add(message)
    db.session.flush()
    _deliver_after_commit(message.id)
    return message


def withdraw(key_prefix: str, reason: str) -> int:
    """Messages still waiting whose event key starts with ``key_prefix`` are not sent: they
    are marked failed with ``reason`` (in the caller's transaction); how many."""
    withdrawn = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.event_key.startswith(key_prefix, autoescape=True),
            OutboxMessage.state == MessageState.QUEUED,
        )
        .values(state=MessageState.FAILED, last_error=reason)
    )
    return withdrawn.rowcount


def render(template: str, **context: Any) -> tuple[str, str]:
    """Subject and plain text of ``mail/<template>.txt`` (German), with the office's
    signature. The template's first line is the subject."""
    config = current_app.config
    with force_locale("de"):
        rendered = render_template(f"mail/{template}.txt", config=config, **context)
        signature = render_template("mail/_signature.txt", config=config)
    subject, _blank, body = rendered.strip().partition("\n")
    return subject.strip(), f"{body.strip()}\n\n{signature.strip()}\n"


def html_of(text: str, subject: str) -> str:
    """The HTML alternative: a whole document titled with the subject, the same text,
    paragraphs kept and links clickable."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = [_linked(line) for line in block.splitlines()]
        paragraphs.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(lines)))
    body = Markup("\n").join(paragraphs)
    return str(Markup(render_template("mail/_layout.html", body=body, subject=subject)))


def _linked(line: str) -> Markup:
    """The line with the app's own addresses as links; any other address (a name someone
    typed may hold one) stays plain text."""
    own = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/"
    parts, last = [], 0
    for match in LINK.finditer(line):
        url = match.group(0).rstrip(".,;)")
        if not (url + "/").startswith(own):
            continue
        parts.append(escape(line[last : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.start() + len(url)
    parts.append(escape(line[last:]))
    return Markup("").join(parts)


def _deliver_after_commit(message_id: int) -> None:
    """Send once the caller's transaction has committed (a rollback forgets the message)."""
    db.session().info.setdefault(PENDING, []).append(message_id)


PENDING = "outbox_pending"


@sa.event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    for message_id in session.info.pop(PENDING, []):
        enqueue(deliver, message_id)


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, _previous_transaction) -> None:
    session.info.pop(PENDING, None)


# --- sending ----------------------------------------------------------------------------------


@background()
def deliver(message_id: int) -> None:
    send(message_id)


def send_waiting() -> None:
    """Send every message whose time has come (after a failed attempt, or one whose task
    was lost); each is claimed first, so two workers never send the same message. The
    sweeper runs it every minute (``seal_app.operations.sweeper``)."""
    now = utcnow()
    due = sa.select(OutboxMessage.id).where(
        OutboxMessage.state == MessageState.QUEUED, OutboxMessage.next_attempt_at <= now
    )
    for message_id in list(db.session.scalars(due.order_by(OutboxMessage.id))):
        send(message_id, now)


def send(message_id: int, now: datetime | None = None) -> MessageState | None:
    """One attempt to send the message; None if it is not due or another worker has it."""
    now = now or utcnow()
    claimed = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.state == MessageState.QUEUED,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(
            state=MessageState.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + SENDING_LEASE,
        )
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    message = db.session.get(OutboxMessage, message_id)
    try:
        mail.send(outgoing(message))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        _failed(message, _reason(error))
    except ValueError as error:  # a header that cannot be written (a line break in a name)
        _failed(message, _reason(error))
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            _failed(message, _reason(error))
        else:
            _later(message, _reason(error), now)
    except (OSError, smtplib.SMTPException) as error:
        _later(message, _reason(error), now)
    else:
        message.state, message.sent_at, message.last_error = MessageState.SENT, utcnow(), ""
    if message.state is not MessageState.QUEUED:  # sent or given up: no live secret kept
        message.body_text = hide_secrets(message.body_text)
        message.body_html = hide_secrets(message.body_html)
    db.session.commit()
    return message.state


def hide_secrets(text: str) -> str:
    """The text with one-time password links made useless (for the outbox page and once a
    message is sent)."""
    return SECRET_LINK.sub(HIDDEN, text)


def _failed(message: OutboxMessage, reason: str) -> None:
    message.state, message.last_error = MessageState.FAILED, reason
    log.warning("mail %s failed: %s", message.id, reason)  # the address stays in the outbox


def _later(message: OutboxMessage, reason: str, now: datetime) -> None:
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        _failed(message, reason)
        return
    message.state, message.last_error = MessageState.QUEUED, reason
    pause = timedelta(seconds=current_app.config["MAIL_RETRY_PAUSE_SECONDS"])
    message.next_attempt_at = now + pause * message.attempts  # 5, 10, 15, ... minutes


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        ]
        return "; ".join(codes)[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"[:500]
    return f"{type(error).__name__}: {error}"[:500]
