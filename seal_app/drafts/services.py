"""Keeping, finding and deleting drafts: plain functions inside the caller's transaction.

Keeping or showing a draft changes no record of the procedure, so no audit entry is written;
the retention run logs how many expired drafts it deleted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from seal_app.db_types import utcnow
from seal_app.drafts.models import KeptDraft
from seal_app.drafts.tokens import TOKEN_FIELD
from seal_app.extensions import db

# A person keeps at most this many drafts; the oldest go first.
MAX_DRAFTS_PER_USER = 30
MAX_DRAFT_CHARACTERS = 500_000
MAX_PATH = 500


def keepable_fields(form: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The text a person typed, without CSRF tokens, the draft token and anything secret."""
    return [
        [name, value]
        for name, value in form
        if name != TOKEN_FIELD
        and not name.endswith("csrf_token")
        and "password" not in name.lower()
        and isinstance(value, str)
    ]


def keep(user_id: int, path: str, fields: list[list[str]], had_files: bool) -> KeptDraft | None:
    """Keep ``fields`` for ``user_id`` at ``path``, replacing an older draft of that page.

    Nothing is kept when nothing was typed, or when it is far more than any form holds."""
    text = json.dumps(fields, ensure_ascii=False)
    if not any(value.strip() for _name, value in fields) or len(text) > MAX_DRAFT_CHARACTERS:
        return None
    if len(path) > MAX_PATH:
        return None
    discard(user_id, path)
    now = utcnow()
    draft = KeptDraft(
        user_id=user_id,
        path=path,
        fields=text,
        had_files=had_files,
        created_at=now,
        expires_at=now + timedelta(hours=int(current_app.config["DRAFT_KEEP_HOURS"])),
    )
    db.session.add(draft)
    db.session.flush()
    _drop_oldest(user_id)
    return draft


def _drop_oldest(user_id: int) -> None:
    ids = db.session.scalars(
        sa.select(KeptDraft.id)
        .where(KeptDraft.user_id == user_id)
        .order_by(KeptDraft.created_at.desc(), KeptDraft.id.desc())
        .offset(MAX_DRAFTS_PER_USER)
    ).all()
    if ids:
        db.session.execute(sa.delete(KeptDraft).where(KeptDraft.id.in_(ids)))


def has_drafts_column(user_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """Whether the user has kept drafts (expired ones too), as a column of the statement that
    loads the session on every request: a page with a form looks for a draft only then."""
    return sa.exists().where(KeptDraft.user_id == user_id).label("has_drafts")


def find(user_id: int, path: str) -> KeptDraft | None:
    """The newest draft of this person for this page that has not expired."""
    return db.session.scalar(
        sa.select(KeptDraft)
        .where(
            KeptDraft.user_id == user_id,
            KeptDraft.path == path,
            KeptDraft.expires_at > utcnow(),
        )
        .order_by(KeptDraft.id.desc())
        .limit(1)
    )


def fields_of(draft: KeptDraft) -> list[tuple[str, str]]:
    return [(name, value) for name, value in json.loads(draft.fields)]


def discard(user_id: int, path: str) -> None:
    """The page's form was saved (or its draft replaced): its kept draft is no longer needed."""
    db.session.execute(
        sa.delete(KeptDraft).where(KeptDraft.user_id == user_id, KeptDraft.path == path)
    )


def discard_ids(ids: Iterable[int], keep_for_user: int | None = None) -> None:
    """Delete these drafts (those of ``keep_for_user`` excepted)."""
    query = sa.delete(KeptDraft).where(KeptDraft.id.in_(list(ids)))
    if keep_for_user is not None:
        query = query.where(KeptDraft.user_id != keep_for_user)
    db.session.execute(query)


def expired_count(now: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(KeptDraft).where(KeptDraft.expires_at <= now)
    )


def delete_expired(now: datetime) -> int:
    return db.session.execute(sa.delete(KeptDraft).where(KeptDraft.expires_at <= now)).rowcount
