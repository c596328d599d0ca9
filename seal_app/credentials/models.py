"""The revocation status lists (W3C Bitstring Status List) and each certificate's place in one."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from seal_app.db_types import UTCDateTime, utcnow
from seal_app.extensions import db

# 131,072 bits (16 KB): the smallest list the specification allows, so that one certificate's
# place tells nothing about the others
MINIMUM_BITS = 131_072


class StatusList(db.Model):
    """One bit per certificate, set when it is revoked; ``signed`` is the list as a signed
    BitstringStatusListCredential (VC-JWT), renewed with every change."""

    __tablename__ = "credential_status_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(default=MINIMUM_BITS)  # in bits
    bits: Mapped[bytes] = mapped_column(sa.LargeBinary)
    signed: Mapped[str | None] = mapped_column(sa.Text)  # None: to be signed when next served
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatusEntry(db.Model):
    """The random, unused place of a certificate in a status list."""

    __tablename__ = "credential_status_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="CASCADE"), unique=True
    )
    list_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credential_status_lists.id", ondelete="RESTRICT")
    )
    position: Mapped[int] = mapped_column()

    __table_args__ = (sa.UniqueConstraint("list_id", "position"),)
