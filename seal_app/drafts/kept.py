"""The kept drafts a person has, for the home page: which forms hold text not yet saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from seal_app.db_types import utcnow
from seal_app.drafts.models import KeptDraft
from seal_app.extensions import db

MAX_LISTED = 10


@dataclass(frozen=True)
class KeptForm:
    path: str
    label: str
    kept_at: datetime


def kept_forms(user_id: int) -> list[KeptForm]:
    """The person's drafts that have not expired, newest first."""
    drafts = db.session.scalars(
        sa.select(KeptDraft)
        .where(KeptDraft.user_id == user_id, KeptDraft.expires_at > utcnow())
        .order_by(KeptDraft.created_at.desc(), KeptDraft.id.desc())
        .limit(MAX_LISTED)
    )
    return [KeptForm(draft.path, page_label(draft.path), draft.created_at) for draft in drafts]


def page_label(path: str) -> str:
    """What a person calls the form's page: „Kriterium A.1“, else its address."""
    try:
        _endpoint, values = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return path
    if isinstance(values.get("code"), str):
        return _("Kriterium %(code)s", code=values["code"])
    return path
