"""Figures for the home pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.schools.models import School


@dataclass(frozen=True)
class OfficeFigures:
    schools: int
    users: int
    pending_requests: int
    submitted_applications: int


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
        submitted_applications=db.session.scalar(
            sa.select(count)
            .select_from(Application)
            .where(Application.status == ApplicationStatus.SUBMITTED)
        ),
    )


def legal_text(name: str) -> Markup | None:
    """The operator's own text for a legal page (``<name>.html``), or None for the default.

    The file lies in the instance folder (or LEGAL_PAGES_DIR), which only the operator can
    write, like ``instance/config.py``; so it is trusted HTML and shown as it is. The page's
    Content-Security-Policy still blocks scripts and inline styles in it.
    """
    folder = current_app.config.get("LEGAL_PAGES_DIR") or current_app.instance_path
    path = Path(folder) / f"{name}.html"
    if not path.is_file():
        return None
    return Markup(path.read_text(encoding="utf-8"))
