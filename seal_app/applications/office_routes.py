"""The office's list of applications, filtered by state and round."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    render_template,
    request,
)
from sqlalchemy.orm import selectinload

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.schools.models import School
from seal_app.views import database_id

office = Blueprint("office_applications", __name__, url_prefix="/office/applications")


@office.get("/")
@roles_required(Role.OFFICE)
def office_index():
    """Every application, or those of one status (``?status=submitted``) and/or one round
    (``?round=<id>``); a filter that names nothing known is dropped with a message."""
    query = (
        sa.select(Application)
        .join(Application.school)
        .order_by(School.name)
        .options(selectinload(Application.school), selectinload(Application.round))
    )
    status, round_, unknown = _office_filters()
    if status is not None:
        query = query.where(Application.status == status)
    if round_ is not None:
        query = query.where(Application.round_id == round_.id)
    return render_template(
        "applications/office_index.html",
        applications=db.session.scalars(query).all(),
        status=status,
        round=round_,
        unknown_filter=unknown,
    )


def _office_filters() -> tuple[ApplicationStatus | None, Round | None, bool]:
    status_text = request.args.get("status", "")
    status = next((item for item in ApplicationStatus if item.value == status_text), None)
    round_text = request.args.get("round", "")
    round_id = request.args.get("round", 0, type=database_id)
    round_ = db.session.get(Round, round_id) if round_id else None
    unknown = (bool(status_text) and status is None) or (bool(round_text) and round_ is None)
    return status, round_, unknown
