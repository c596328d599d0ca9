"""The public list of schools holding a valid seal: valid certificates only (issued, not
revoked, not expired), filtered by school type and place, sorted by place; names and places
as printed on the certificates.

CSV, JSON and the A4 PDF for notice boards carry the same rows; the JSON schema is documented
in docs/public-list.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from seal_app.certificates.document import german_date
from seal_app.certificates.issuing import valid_on
from seal_app.certificates.models import Certificate
from seal_app.documents import html
from seal_app.exports.cells import neutral
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

    def arguments(self) -> dict[str, str]:
        """The filters as query parameters, for links that keep them (and nothing else the
        address held: ``url_for`` would read ``_method`` or ``_external`` itself)."""
        chosen = {"schulart": self.school_type.value if self.school_type else "", "ort": self.place}
        return {name: value for name, value in chosen.items() if value}


@dataclass(frozen=True)
class SealedSchool:
    school: School
    certificate: Certificate


def rows(filters: Filters, today: date) -> list[SealedSchool]:
    query = valid_on(today).join(Certificate.school).options(joinedload(Certificate.school))
    if filters.school_type is not None:
        query = query.where(School.school_type == filters.school_type)
    if filters.place:
        query = query.where(sa.func.lower(Certificate.school_town) == filters.place.lower())
    query = query.order_by(Certificate.school_town, Certificate.school_name)
    return [SealedSchool(item.school, item) for item in db.session.scalars(query).unique()]


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
        neutral(value)
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


def notice_pdf(rows: list[SealedSchool], filters: Filters, today: date) -> bytes:
    """The list as a tagged A4 PDF for notice boards: German, by place, with the address of
    the list online so that readers can check it is current. A chosen place is named only as
    it is spelled in the list (no reader's text reaches the official page)."""
    config = current_app.config
    with force_locale("de"):
        chosen = [str(filters.school_type.label)] if filters.school_type else []
        table = [
            (
                row.certificate.school_town,
                row.certificate.school_name,
                str(row.school.school_type.label),
                row.certificate.number,
                german_date(row.certificate.valid_until),
            )
            for row in rows
        ]
    known = {place.lower(): place for place in places(today)}
    if filters.place.lower() in known:
        chosen.append(known[filters.place.lower()])
    intro = f"{config['DISTRICT_NAME']} · Stand: {german_date(today)}"
    if chosen:
        intro += f" · Auswahl: {', '.join(chosen)}"
    return html.render(
        "documents/notice.html",
        archival=False,
        title="Schulen mit dem Gütesiegel „Sicherheit macht Schule“",
        author=config["OFFICE_NAME"],
        subject=f"Stand: {german_date(today)}",
        footer_line=f"{config['DISTRICT_NAME']} · Siegelschulen · Stand: {german_date(today)}",
        intro=intro,
        rows=table,
        base=config["PUBLIC_BASE_URL"].rstrip("/"),
    )
