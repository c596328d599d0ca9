"""Finding an assessor's assignments."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.reviews.models import Assignment


def assignments_of(assessor: User) -> list[Assignment]:
    query = (
        sa.select(Assignment)
        .where(Assignment.assessor_id == assessor.id)
        .options(
            joinedload(Assignment.application).joinedload(Application.school),
            joinedload(Assignment.application).joinedload(Application.round),
        )
        .order_by(Assignment.created_at)
    )
    return list(db.session.scalars(query).unique())
