"""One application's audit log: entries about it and about everything that belongs to it.

The objects of the application (answers, files, votes, requests, assignments, scores, reviews,
visits, agreed levels) are found with one query; the entries with another. Entries about
objects that no longer exist are kept when they name the application in their details.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from seal_app.applications.models import (
    Application,
    CriterionAnswer,
    EvidenceFile,
    EvidenceRequest,
    RenewalNote,
    RequestResponse,
    Vote,
)
from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    JuryLevel,
    Review,
    Score,
    Visit,
    VisitParticipant,
    VisitProtocol,
)


def entries_for(application: Application) -> list[AuditEntry]:
    """Every entry about ``application`` and its parts, newest first."""
    objects = _objects_of(application.id)
    objects["applications"].add(str(application.id))
    about_objects = sa.or_(
        *(
            sa.and_(AuditEntry.object_type == object_type, AuditEntry.object_id.in_(sorted(ids)))
            for object_type, ids in objects.items()
        )
    )
    query = (
        sa.select(AuditEntry)
        .where(sa.or_(about_objects, AuditEntry.school_id == application.school_id))
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
    )
    return [
        entry
        for entry in db.session.scalars(query)
        if entry.object_id in objects.get(entry.object_type, ())
        or (entry.details or {}).get("application_id") == application.id
    ]


def _objects_of(application_id: int) -> defaultdict[str, set[str]]:
    """Table name -> ids (as text, as the log stores them) of the application's parts."""
    direct = (CriterionAnswer, EvidenceFile, Vote, RenewalNote, EvidenceRequest)
    direct += (Assignment, Visit, JuryLevel)
    parts = [_ids(model, model.application_id == application_id) for model in direct]
    parts.append(
        _ids(
            RequestResponse,
            RequestResponse.evidence_request_id.in_(
                sa.select(EvidenceRequest.id).where(
                    EvidenceRequest.application_id == application_id
                )
            ),
        )
    )
    of_assignments = sa.select(Assignment.id).where(Assignment.application_id == application_id)
    for model in (Score, Review, VisitParticipant, VisitProtocol):
        parts.append(_ids(model, model.assignment_id.in_(of_assignments)))
    objects: defaultdict[str, set[str]] = defaultdict(set)
    for table, object_id in db.session.execute(sa.union_all(*parts)):
        objects[table].add(str(object_id))
    return objects


def _ids(model, condition) -> sa.Select:
    table = sa.literal(model.__tablename__, sa.String).label("object_type")
    return sa.select(table, model.id.label("object_id")).where(condition)
