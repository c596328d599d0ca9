"""The visit's record once the reviews are in: the protocols of the submitted reviews, what
the application's assessors added after submitting (appended with author and time, never
replacing a text) and the photos of the visit; who may read it, add to it, delete a photo.

Callers wrap the state changes in ``transaction()`` (and an ``UploadBatch`` for photos).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from seal_app.audit.services import record
from seal_app.auth.models import Role, User
from seal_app.catalogue.model import Area, Catalogue
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Visit, VisitProtocol
from seal_app.reviews.submission import is_submitted
from seal_app.reviews.visit_record_models import VisitPhoto, VisitProtocolAddition
from seal_app.reviews.visits import VisitError, area_of, took_place
from seal_app.uploads.photos import StoredPhoto
from seal_app.uploads.store import UploadBatch

ADDITION_LIMIT = 5000  # characters
CAPTION_LIMIT = 300


@dataclass(frozen=True)
class Entry:
    """One addition or one photo, as the record shows it."""

    author: User
    created_at: datetime
    text: str = ""
    photo: VisitPhoto | None = None


@dataclass
class Section:
    """The whole visit (``area`` None) or one area: its protocols, then the entries in the
    order they were added."""

    area: Area | None
    protocols: list[VisitProtocol] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class VisitState:
    """A visit as lists show it: when, whether it took place, how much was recorded."""

    starts_at: datetime
    took_place: bool
    protocols: int
    additions: int
    photos: int


def own_cleared_assignment(user: User, application_id: int) -> Assignment | None:
    if user.role is not Role.ASSESSOR:
        return None
    return db.session.scalar(
        sa.select(Assignment).where(
            Assignment.application_id == application_id,
            Assignment.assessor_id == user.id,
            Assignment.conflict_state == ConflictState.NONE,
        )
    )


def may_read(user: User, application_id: int) -> bool:
    """The office, and the application's cleared assessors once their own review is in (before
    that each reads only their own protocol: the reviews stay independent)."""
    if user.role is Role.OFFICE:
        return True
    assignment = own_cleared_assignment(user, application_id)
    return assignment is not None and is_submitted(assignment)


def may_see_photo(user: User, photo: VisitPhoto) -> bool:
    """Whoever may read the record, and the photo's uploader."""
    application_id = photo.visit.application_id
    if may_read(user, application_id):
        return True
    own = own_cleared_assignment(user, application_id)
    return own is not None and own.id == photo.assignment_id


def refusal_to_add(visit: Visit, assignment: Assignment, now: datetime) -> str | None:
    """Why this assessor cannot add to the protocol now (German), or None."""
    if not took_place(visit, now):
        return _("Ergänzungen zum Protokoll sind erst nach dem Besuch möglich.")
    if not is_submitted(assignment):
        return _(
            "Ihr Gutachten ist noch nicht eingereicht. Bis dahin schreiben Sie Ihre "
            "Beobachtungen in Ihr eigenes Protokoll; ergänzen können Sie das Protokoll erst "
            "nach dem Einreichen."
        )
    if visit.application.decided_at is not None:
        return _("Über den Antrag ist entschieden; das Protokoll wird nicht mehr ergänzt.")
    return None


def default_caption(area: Area | None) -> str:
    if area is None:
        return _("Foto vom Schulbesuch")
    return _("Foto vom Schulbesuch, Bereich %(code)s", code=area.code)


def add_to_protocol(
    visit: Visit,
    assignment: Assignment,
    catalogue: Catalogue,
    area_code: str | None,
    text: str,
    photo: StoredPhoto | None,
    caption: str,
    actor: User,
    now: datetime,
) -> None:
    """Append a text and/or a photo to the protocol of one area or the whole visit."""
    reason = refusal_to_add(visit, assignment, now)
    if reason is not None:
        raise VisitError(reason)
    area = area_of(catalogue, area_code) if area_code else None
    if area_code and area is None:
        raise VisitError(_("Diesen Bereich gibt es im Katalog des Antrags nicht."), "area")
    text = text.strip()
    if not text and photo is None:
        raise VisitError(
            _("Bitte schreiben Sie Ihre Ergänzung oder wählen Sie ein Foto aus."), "text"
        )
    where = {"area": area_code or "", "school_id": visit.application.school_id}
    if text:
        addition = VisitProtocolAddition(
            visit_id=visit.id, assignment_id=assignment.id, area_code=area_code, text=text
        )
        db.session.add(addition)
        db.session.flush()
        record(
            "visit.protocol_added",
            addition,
            actor,
            application_id=visit.application_id,
            characters=len(text),
            **where,
        )
    if photo is not None:
        add_photo(visit, assignment, area, photo, caption, actor)


def add_photo(
    visit: Visit,
    assignment: Assignment,
    area: Area | None,
    photo: StoredPhoto,
    caption: str,
    actor: User,
) -> VisitPhoto:
    row = VisitPhoto(
        visit_id=visit.id,
        assignment_id=assignment.id,
        area_code=area.code if area else None,
        caption=caption.strip() or default_caption(area),
        stored_name=photo.file.stored_name,
        thumbnail_name=photo.thumbnail_name,
        sha256=photo.file.sha256,
        thumbnail_sha256=photo.thumbnail_sha256,
        display_name=photo.file.display_name,
        media_type=photo.file.media_type,
        size=photo.file.size,
    )
    db.session.add(row)
    db.session.flush()
    record(
        "visit.photo_added",
        row,
        actor,
        application_id=visit.application_id,
        school_id=visit.application.school_id,
        area=row.area_code or "",
        file=row.display_name,
        size=row.size,
    )
    return row


def delete_photo(photo: VisitPhoto, actor: User, batch: UploadBatch) -> None:
    """Only its uploader, and only before the decision."""
    if photo.assignment.assessor_id != actor.id:
        raise VisitError(_("Ein Foto löschen kann nur, wer es hochgeladen hat."))
    if photo.visit.application.decided_at is not None:
        raise VisitError(_("Über den Antrag ist entschieden; das Foto bleibt erhalten."))
    record(
        "visit.photo_deleted",
        photo,
        actor,
        application_id=photo.visit.application_id,
        school_id=photo.visit.application.school_id,
        area=photo.area_code or "",
        file=photo.display_name,
    )
    batch.delete_on_success(photo.stored_name)
    batch.delete_on_success(photo.thumbnail_name)
    db.session.delete(photo)
    db.session.flush()


def sections_of(visit: Visit, catalogue: Catalogue) -> list[Section]:
    """The whole visit first, then the areas in catalogue order; the protocols of submitted
    reviews only (a draft is its author's until they submit)."""
    sections: dict[str | None, Section] = {None: Section(None)}
    sections.update({area.code: Section(area) for area in catalogue.areas})
    protocols = db.session.scalars(
        sa.select(VisitProtocol)
        .where(VisitProtocol.visit_id == visit.id)
        .options(selectinload(VisitProtocol.assignment).selectinload(Assignment.review))
        .order_by(VisitProtocol.assignment_id)
    )
    for protocol in protocols:
        if protocol.area_code in sections and is_submitted(protocol.assignment):
            sections[protocol.area_code].protocols.append(protocol)
    for entry_area, entry in _entries(visit):
        if entry_area in sections:
            sections[entry_area].entries.append(entry)
    return list(sections.values())


def entries_by_area(visit: Visit | None) -> dict[str | None, list[Entry]]:
    """The additions and photos per area code (None: the whole visit), oldest first."""
    found: dict[str | None, list[Entry]] = {}
    if visit is not None:
        for area_code, entry in _entries(visit):
            found.setdefault(area_code, []).append(entry)
    return found


def _entries(visit: Visit) -> list[tuple[str | None, Entry]]:
    author = selectinload(VisitProtocolAddition.assignment).selectinload(Assignment.assessor)
    additions = db.session.scalars(
        sa.select(VisitProtocolAddition)
        .where(VisitProtocolAddition.visit_id == visit.id)
        .options(author)
    )
    photos = db.session.scalars(
        sa.select(VisitPhoto)
        .where(VisitPhoto.visit_id == visit.id)
        .options(selectinload(VisitPhoto.assignment).selectinload(Assignment.assessor))
    )
    entries = [
        (item.area_code, Entry(item.assignment.assessor, item.created_at, text=item.text))
        for item in additions
    ] + [
        (item.area_code, Entry(item.assignment.assessor, item.created_at, photo=item))
        for item in photos
    ]
    return sorted(entries, key=lambda pair: (pair[1].created_at, pair[1].photo is not None))


def visit_states(application_ids: Iterable[int], now: datetime) -> dict[int, VisitState]:
    """Per application with a visit: its state, in one query."""
    ids = list(application_ids)
    if not ids:
        return {}

    def count(model) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.count(model.id)).where(model.visit_id == Visit.id).scalar_subquery()
        )

    rows = db.session.execute(
        sa.select(
            Visit.application_id,
            Visit.starts_at,
            count(VisitProtocol),
            count(VisitProtocolAddition),
            count(VisitPhoto),
        ).where(Visit.application_id.in_(ids))
    )
    return {
        application_id: VisitState(starts_at, starts_at <= now, protocols, additions, photos)
        for application_id, starts_at, protocols, additions, photos in rows
    }
