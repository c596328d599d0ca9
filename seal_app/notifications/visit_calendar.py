"""The iCalendar entry (RFC 5545/5546) mailed for an on-site visit: one stable UID per visit,
its times in the district's zone with the zone's definition, the office as organiser, the
school's address as location; METHOD:REQUEST when planned or changed, METHOD:CANCEL when
cancelled, SEQUENCE counting the changes."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
from flask import current_app

from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.local_time import local_zone
from seal_app.notifications.mime import Attachment, mail_domain
from seal_app.reviews.models import Visit

PRODUCT = "-//Guetesiegel Sicherheit macht Schule//seal_app//DE"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def visit_token(visit: Visit) -> str:
    """The visit's id and the second it was planned: SQLite may give a cancelled visit's id to
    the next one, which must not look like the same entry to a calendar."""
    return f"{visit.id}-{int(visit.created_at.timestamp())}"


def visit_uid(visit: Visit) -> str:
    """Stable for the visit's whole life: every change replaces the entry in the calendar."""
    return f"visit-{visit_token(visit)}@{mail_domain()}"


def visit_entry(
    visit: Visit, method: str, attendee: User, description: str, now: datetime | None = None
) -> Attachment:
    """The calendar entry for one recipient (the only attendee named: nobody learns the
    others' addresses from it), as an attachment."""
    config = current_app.config
    school = visit.application.school
    starts = visit.starts_at.astimezone(local_zone())
    event = icalendar.Event()
    event.add("uid", visit_uid(visit))
    event.add("dtstamp", now or utcnow())
    event.add("sequence", visit.calendar_sequence)
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=config["VISIT_DURATION_MINUTES"]))
    event.add("summary", f"Besuch der Jury: Gütesiegel „Sicherheit macht Schule“ – {school.name}")
    event.add("location", f"{school.name}, {school.street}, {school.postal_code} {school.town}")
    event.add("description", description)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("organizer", _address(config["OFFICE_EMAIL"], config["OFFICE_NAME"]))
    guest = _address(attendee.email, attendee.name)
    guest.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"})
    event.add("attendee", guest)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return Attachment(
        filename="Besuch.ics",
        content_type=f"text/calendar; method={method}; charset=utf-8",
        data=calendar.to_ical(),
    )


def _address(email: str, name: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    return address
