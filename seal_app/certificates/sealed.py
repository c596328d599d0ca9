"""The public list of schools holding a valid seal: valid certificates only (issued, not
revoked, not expired), filtered by school type and place, sorted by place; names and places
as printed on the certificates.

CSV, JSON and the A4 PDF for notice boards carry the same rows; the JSON schema is documented
in docs/public-list.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from seal_app import pdf
from seal_app.applications.models import Application
from seal_app.certificates.document import german_date
from seal_app.certificates.issuing import valid_on
from seal_app.certificates.models import Certificate
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
    """The list as an A4 PDF for notice boards: German, by place, with the address of the
    list online so that readers can check it is current. A chosen place is named only as it is
    spelled in the list (no reader's text reaches the official page)."""
    styles = pdf.styles()
    cell = ParagraphStyle("notice", parent=styles["body"], fontSize=10, leading=13)
    config = current_app.config
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    with force_locale("de"):
        chosen = [str(filters.school_type.label)] if filters.school_type else []
        data = [["Ort", "Schule", "Schulart", "Urkunde", "gültig bis"]] + [
            [
                Paragraph(escape(row.certificate.school_town), cell),
                Paragraph(f"<b>{escape(row.certificate.school_name)}</b>", cell),
                Paragraph(escape(str(row.school.school_type.label)), cell),
                Paragraph(row.certificate.number, cell),
                Paragraph(german_date(row.certificate.valid_until), cell),
            ]
            for row in rows
        ]
    known = {place.lower(): place for place in places(today)}
    if filters.place.lower() in known:
        chosen.append(known[filters.place.lower()])
    intro = f"{config['DISTRICT_NAME']} · Stand: {german_date(today)}"
    if chosen:
        intro += f" · Auswahl: {', '.join(chosen)}"
    story = [
        Paragraph("Schulen mit dem Gütesiegel „Sicherheit macht Schule“", styles["title"]),
        Paragraph(escape(intro), cell),
        Spacer(1, 5 * mm),
    ]
    if rows:
        table = Table(data, colWidths=[28 * mm, None, 28 * mm, 23 * mm, 42 * mm], repeatRows=1)
        table.setStyle([*pdf.table_style(), ("FONT", (0, 0), (-1, 0), pdf.BOLD, 10)])
        story.append(table)
    else:
        story.append(
            Paragraph("Zurzeit trägt keine Schule dieser Auswahl das Siegel.", styles["body"])
        )
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            escape(
                f"Jede Urkunde lässt sich mit ihrer Nummer prüfen: {base}/verify. "
                f"Die aktuelle Liste: {base}/siegelschulen"
            ),
            cell,
        ),
    ]
    return pdf.build(
        story,
        title="Schulen mit dem Gütesiegel „Sicherheit macht Schule“",
        author=config["OFFICE_NAME"],
        subject=f"Stand: {german_date(today)}",
        footer_line=f"{config['DISTRICT_NAME']} · Siegelschulen · Stand: {german_date(today)}",
    )
