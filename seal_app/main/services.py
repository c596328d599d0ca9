"""Figures for the home pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.schools.models import School


@dataclass(frozen=True)
class OfficeFigures:
    schools: int
    users: int
    pending_requests: int


def office_figures() -> OfficeFigures:
    count = sa.func.count()
    return OfficeFigures(
        schools=db.session.scalar(sa.select(count).select_from(School)),
        users=db.session.scalar(sa.select(count).select_from(User)),
        pending_requests=db.session.scalar(
            sa.select(count)
            .select_from(AccessRequest)
            .where(AccessRequest.status == AccessRequestStatus.PENDING)
        ),
    )
