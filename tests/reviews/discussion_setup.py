"""Helpers for the tests of the jury's discussion: posting, the stored comments, moving a
comment back in time."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.reviews.discussion_models import DiscussionComment


def thread_url(application_id: int) -> str:
    return f"/applications/{application_id}/discussion"


def post_comment(client, application_id: int, body: str):
    return client.post(thread_url(application_id), data={"body": body})


def stored(app) -> list[DiscussionComment]:
    """Every comment, oldest first (detached: read the fields only)."""
    with app.app_context():
        comments = list(db.session.scalars(sa.select(DiscussionComment).order_by("id")))
        db.session.expunge_all()
        return comments


def written_earlier(app, comment_id: int, minutes: int) -> None:
    """Move a comment's time back, as if it had been written ``minutes`` earlier (its version
    stays: nobody edited it)."""
    with app.app_context():
        created_at = db.session.get(DiscussionComment, comment_id).created_at
        db.session.execute(
            sa.update(DiscussionComment)
            .where(DiscussionComment.id == comment_id)
            .values(created_at=created_at - timedelta(minutes=minutes))
        )
        db.session.commit()
