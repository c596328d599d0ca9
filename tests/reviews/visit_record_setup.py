"""A visit recorded afterwards, protocols written and reviews submitted, and additions sent,
for the tests of the visit's record and its photos."""

from __future__ import annotations

import io
from datetime import date, timedelta

from tests.reviews.jury_setup import Meeting, client_of

LAST_WEEK = date.today() - timedelta(days=7)


def record_url(assignment_id: int) -> str:
    return f"/review/{assignment_id}/visit/record"


def record_past_visit(app, meeting: Meeting, *assignment_ids: int, on: date = LAST_WEEK):
    """The office enters a visit that took place, with the given assessors (default: both)."""
    visitors = assignment_ids or (meeting.first_assignment_id, meeting.second_assignment_id)
    return client_of(app, meeting.office).post(
        f"/office/applications/{meeting.application_id}/visit",
        data={
            "on": on.isoformat(),
            "at": "10:15",
            "visitors": [str(item) for item in visitors],
            "note": "",
            "version": "",
            "action": "save",
        },
    )


def write_protocol(client, assignment_id: int, area: str = "A", observed: str = "Fluchtwege"):
    return client.post(
        f"/review/{assignment_id}/visit/{area}",
        data={
            "observed": observed,
            "talked_to": "Schülerrat",
            "findings": "Konzept gelebt.",
            "version": "",
            "action": "save",
        },
    )


def add_to_record(
    client,
    assignment_id: int,
    text: str = "",
    area: str = "A",
    photo: bytes | None = None,
    filename: str = "foto.jpg",
    caption: str = "",
):
    data = {"area": area, "text": text, "caption": caption}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), filename)
    return client.post(record_url(assignment_id), data=data, content_type="multipart/form-data")
