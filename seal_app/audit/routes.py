"""The office's view of the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from sqlalchemy.orm import selectinload

from seal_app.audit.models import AuditEntry
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/office/audit")


@bp.get("/")
@roles_required(Role.OFFICE)
def index():
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
        .limit(200)
    )
    return render_template("audit/index.html", entries=list(entries))
