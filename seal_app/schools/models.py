"""Schools and the staff who act for them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.auth.models import User
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db


class SchoolType(enum.StrEnum):
    """The school types of Mecklenburg-Vorpommern."""

    GRUNDSCHULE = "grundschule"
    REGIONALE_SCHULE = "regionale_schule"
    KOOPERATIVE_GESAMTSCHULE = "kooperative_gesamtschule"
    INTEGRIERTE_GESAMTSCHULE = "integrierte_gesamtschule"
    GYMNASIUM = "gymnasium"
    FOERDERSCHULE = "foerderschule"
    BERUFLICHE_SCHULE = "berufliche_schule"
    FREIE_WALDORFSCHULE = "freie_waldorfschule"
    FREIE_SCHULE = "freie_schule"

    @property
    def label(self) -> str:
        return str(SCHOOL_TYPE_LABELS[self])


SCHOOL_TYPE_LABELS = {
    SchoolType.GRUNDSCHULE: _l("Grundschule"),
    SchoolType.REGIONALE_SCHULE: _l("Regionale Schule"),
    SchoolType.KOOPERATIVE_GESAMTSCHULE: _l("Kooperative Gesamtschule"),
    SchoolType.INTEGRIERTE_GESAMTSCHULE: _l("Integrierte Gesamtschule"),
    SchoolType.GYMNASIUM: _l("Gymnasium"),
    SchoolType.FOERDERSCHULE: _l("Förderschule"),
    SchoolType.BERUFLICHE_SCHULE: _l("Berufliche Schule"),
    SchoolType.FREIE_WALDORFSCHULE: _l("Freie Waldorfschule"),
    SchoolType.FREIE_SCHULE: _l("Andere Schule in freier Trägerschaft"),
}


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_number: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    school_type: Mapped[SchoolType] = mapped_column(enum_column(SchoolType))
    street: Mapped[str] = mapped_column(sa.String(200))
    postal_code: Mapped[str] = mapped_column(sa.String(5))
    town: Mapped[str] = mapped_column(sa.String(100))
    school_authority: Mapped[str] = mapped_column(sa.String(200))  # Schulträger
    district: Mapped[str] = mapped_column(sa.String(100))  # Landkreis / kreisfreie Stadt
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)

    memberships: Mapped[list[SchoolMembership]] = relationship(
        back_populates="school", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<School {self.school_number}>"


class Position(enum.StrEnum):
    """What a staff member is at the school."""

    HEAD = "head"
    COORDINATOR = "coordinator"
    DEPUTY = "deputy"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(POSITION_LABELS[self])


POSITION_LABELS = {
    Position.HEAD: _l("Schulleitung"),
    Position.COORDINATOR: _l("Präventionsbeauftragte/r"),
    Position.DEPUTY: _l("Stellvertretende Schulleitung"),
    Position.OTHER: _l("Weitere Lehrkraft"),
}


class SchoolMembership(db.Model):
    """A school staff user acting for one school; a user may act for several."""

    __tablename__ = "school_memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[Position] = mapped_column(enum_column(Position), default=Position.OTHER)

    user: Mapped[User] = relationship(back_populates="memberships")
    school: Mapped[School] = relationship(back_populates="memberships")


# The user's side of the membership lives here, with the membership: a school's staff are
# users, and ``seal_app.auth`` does not import the schools.
User.memberships = relationship(
    SchoolMembership, back_populates="user", cascade="all, delete-orphan"
)
