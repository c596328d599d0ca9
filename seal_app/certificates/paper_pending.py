"""The file an office previewed, kept for its user until the import is confirmed, and then
for the page with the import's result."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from seal_app.auth.models import User
from seal_app.certificates.paper_models import PendingSealImport
from seal_app.db_types import utcnow
from seal_app.extensions import db

KEEP = timedelta(hours=1)


def keep(user: User, file_name: str, data: bytes) -> PendingSealImport:
    """Keep the file for ``user`` (their earlier previews and everybody's stale ones go)."""
    db.session.execute(
        sa.delete(PendingSealImport).where(
            sa.or_(
                PendingSealImport.user_id == user.id,
                PendingSealImport.created_at < utcnow() - KEEP,
            )
        )
    )
    pending = PendingSealImport(
        token=secrets.token_urlsafe(32), user_id=user.id, file_name=file_name, data=data
    )
    db.session.add(pending)
    return pending


def find(user: User, token: str) -> PendingSealImport | None:
    """The user's own kept file under ``token``, if it has not expired."""
    if not token or len(token) > 64:
        return None
    query = sa.select(PendingSealImport).where(
        PendingSealImport.token == token,
        PendingSealImport.user_id == user.id,
        PendingSealImport.created_at >= utcnow() - KEEP,
    )
    return db.session.scalar(query)


def mark_imported(pending: PendingSealImport, numbers: list[str]) -> None:
    """The file is imported: its page shows the result from now on, never imports again."""
    pending.imported_at = utcnow()
    pending.imported_numbers = numbers
