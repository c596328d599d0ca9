"""The public list of schools holding a valid seal: valid certificates only (issued, not
revoked, not expired), filtered by school type and place, sorted by place; names and places
as printed on the certificates.

CSV and JSON carry the same rows; the JSON schema is documented in docs/public-list.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from seal_app.applications.models import Application
from seal_app.certificates.issuing import valid_on
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from seal_app.schools.models import School, SchoolType

CSV_HEADER = ("Schule", "Schulart", "Ort", "Urkunde", "ausgestellt am", "gültig bis")


@dataclass(frozen=True)
class Filters:
    school_type: SchoolType | None = None
    place: str = ""

    @classmethod
    def from_args(cls, args: MultiDict) -> Filters:
        chosen = args.get("schulart", "")
        school_type = SchoolType(chosen) if chosen in SchoolType._value2member_map_ else None
        return cls(school_type, args.get("ort", "").strip()[:100])


@dataclass(frozen=True)
class SealedSchool:
    school: School
    certificate: Certificate


def rows(filters: Filters, today: date) -> list[SealedSchool]:
    query = (
        valid_on(today)
        .join(Certificate.application)
        .join(Application.school)
        .options(joinedload(Certificate.application).joinedload(Application.school))
    )
    if filters.school_type is not None:
        query = query.where(School.school_type == filters.school_type)
    if filters.place:
        query = query.where(sa.func.lower(Certificate.school_town) == filters.place.lower())
    query = query.order_by(Certificate.school_town, Certificate.school_name)
    return [
        SealedSchool(item.application.school, item) for item in db.session.scalars(query).unique()
    ]


def places(today: date) -> list[str]:
    """The places that have a sealed school, for the filter."""
    query = (
        valid_on(today)
        .with_only_columns(Certificate.school_town)
        .distinct()
        .order_by(Certificate.school_town)
    )
    return list(db.session.scalars(query))


def school_types() -> list[SchoolType]:
    return list(SchoolType)


def csv_values(row: SealedSchool) -> tuple[str, ...]:
    return tuple(
        _neutral(value)
        for value in (
            row.certificate.school_name,
            row.school.school_type.label,
            row.certificate.school_town,
            row.certificate.number,
            row.certificate.issued_on.strftime("%d.%m.%Y"),
            row.certificate.valid_until.strftime("%d.%m.%Y"),
        )
    )


def json_value(row: SealedSchool) -> dict:
    return {
        "school": row.certificate.school_name,
        "school_type": row.school.school_type.value,
        "school_type_label": row.school.school_type.label,
        "place": row.certificate.school_town,
        "certificate": row.certificate.number,
        "issued_on": row.certificate.issued_on.isoformat(),
        "valid_until": row.certificate.valid_until.isoformat(),
    }


def _neutral(value: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
