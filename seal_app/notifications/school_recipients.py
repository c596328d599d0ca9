"""Who receives a message meant for a school: its enabled staff accounts or, when it has none,
the school's own e-mail address; and, for the office's pages, who was told of an event."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.notifications.models import OutboxMessage
from seal_app.schools.models import School

OFFICE_KEY = "office"


@dataclass(frozen=True)
class Recipient:
    """One address a school-facing message goes to; ``user`` is None for the school's own
    address. ``key`` ends the message's event key."""

    address: str
    user: User | None
    key: str


def staff_of(school: School) -> list[User]:
    """The school's enabled staff accounts."""
    return [item.user for item in school.memberships if item.user.is_enabled]


def recipients_of(school: School) -> list[Recipient]:
    """The enabled staff accounts; without one, the school's own address; else nobody."""
    staff = staff_of(school)
    if staff:
        return [Recipient(user.email, user, str(user.id)) for user in staff]
    if school.email:
        return [Recipient(school.email, None, "school")]
    return []


def told(key: str) -> list[OutboxMessage]:
    """The messages written to the school for the event ``key`` (the office's copy left out),
    in the order they were written."""
    query = (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.event_key.startswith(f"{key}:", autoescape=True),
            OutboxMessage.event_key != f"{key}:{OFFICE_KEY}",
        )
        .order_by(OutboxMessage.id)
    )
    return list(db.session.scalars(query))
