"""Who may see and change which application: the one place these rules live."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application, EvidenceFile
from seal_app.auth.models import Role, User
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.rounds.models import Round

# What every page of an application shows besides it: its school, its round and the round's
# catalogue, read in the same statement.
WITH_SCHOOL_AND_ROUND = (
    joinedload(Application.school),
    joinedload(Application.round).joinedload(Round.catalogue),
)


def is_member(user: User, school_id: int) -> bool:
    return any(membership.school_id == school_id for membership in user.memberships)


def can_view(user: User, application: Application) -> bool:
    if user.role is Role.OFFICE:
        return True
    if user.role is Role.SCHOOL:
        return is_member(user, application.school_id)
    return cleared_assignment(user, application.id) is not None


def cleared_assignment(user: User, application_id: int) -> Assignment | None:
    """The assessor's assignment to the application, if they declared no conflict of interest.

    Before declaring, an assessor sees only the school's name, place and round (on their
    declaration page); after declaring a conflict, nothing at all.
    """
    return db.session.scalar(
        sa.select(Assignment).where(
            Assignment.application_id == application_id,
            Assignment.assessor_id == user.id,
            Assignment.conflict_state == ConflictState.NONE,
        )
    )


def viewable_application(application_id: int) -> Application:
    """The application if the current user may see it; 404 otherwise (nothing revealed)."""
    application = db.session.get(Application, application_id, options=WITH_SCHOOL_AND_ROUND)
    if application is None or not can_view(current_user, application):
        abort(404)
    return application


def editable_application(application_id: int) -> Application:
    """The application if the current user acts for its school; 404 otherwise."""
    application = viewable_application(application_id)
    if current_user.role is not Role.SCHOOL:
        abort(403)
    return application


def file_of(application: Application, file_id: int) -> EvidenceFile:
    file = db.session.get(EvidenceFile, file_id)
    if file is None or file.application_id != application.id:
        abort(404)
    return file
