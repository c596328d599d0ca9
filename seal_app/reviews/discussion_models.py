"""The jury's discussion of an application: one thread of plain-text comments by the cleared
assessors who have submitted their review and by the office."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.applications.models import Application
from seal_app.auth.models import Role, User
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db

AUTHOR_ROLE_LABELS = {Role.ASSESSOR: _l("Gutachter/in"), Role.OFFICE: _l("Geschäftsstelle")}


class DiscussionComment(db.Model):
    """One comment in an application's thread. Withdrawn comments keep their place, author
    and time; their text is erased."""

    __tablename__ = "discussion_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # the role the author wrote in (assessor or office), kept if the account changes later
    author_role: Mapped[Role] = mapped_column(enum_column(Role))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # when the other participants were told of it (one batched message, see discussion_notices)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # the one-time value of the form it was sent with: the same form sent twice stores one
    form_nonce: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship()
    author: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def role_label(self) -> str:
        """„Gutachter/in“ or „Geschäftsstelle“: the role the author wrote in."""
        return str(AUTHOR_ROLE_LABELS.get(self.author_role, ""))
