"""Creating, changing, listing and importing schools."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.csv_text import decode, dialect, header_key
from seal_app.database import claim_version
from seal_app.extensions import db
from seal_app.forms import checked_email_address, has_control_characters
from seal_app.schools.models import SCHOOL_TYPE_LABELS, School, SchoolMembership
from seal_app.schools.rules import (
    POSTAL_CODE_PATTERN,
    SCHOOL_NUMBER_PATTERN,
    school_type_from_text,
)

EDITABLE_FIELDS = (
    "school_number",
    "name",
    "school_type",
    "street",
    "postal_code",
    "town",
    "school_authority",
    "district",
    "email",
    "phone",
)


class DuplicateSchoolNumberError(Exception):
    pass


def school_number_taken(number: str, except_id: int | None = None) -> bool:
    query = sa.select(School.id).where(School.school_number == number)
    if except_id is not None:
        query = query.where(School.id != except_id)
    return db.session.scalar(query) is not None


def create_school(values: dict, actor: User) -> School:
    if school_number_taken(values["school_number"]):
        raise DuplicateSchoolNumberError(values["school_number"])
    school = School(**{name: values[name] for name in EDITABLE_FIELDS})
    db.session.add(school)
    record("school.created", school, actor, school_number=school.school_number)
    return school


def update_school(school: School, values: dict, expected_version: int | None, actor: User) -> None:
    """Apply ``values`` unless the school changed since the form showed ``expected_version``."""
    if school_number_taken(values["school_number"], except_id=school.id):
        raise DuplicateSchoolNumberError(values["school_number"])
    claim_version(school, expected_version)
    changes = _apply(school, values)
    record("school.updated", school, actor, changes=changes)


def _apply(school: School, values: dict) -> dict[str, dict]:
    """Set ``values`` on ``school``; returns the changed fields as {name: {old, new}}."""
    changes = {
        name: {"old": getattr(school, name), "new": value}
        for name, value in values.items()
        if getattr(school, name) != value
    }
    for name, change in changes.items():
        setattr(school, name, change["new"])
    return changes


def search_schools(query_text: str, page: int, per_page: int) -> Pagination:
    query = sa.select(School).order_by(School.name, School.school_number)
    text = query_text.strip()
    if text:
        pattern = f"%{text}%"
        query = query.where(
            sa.or_(
                School.name.ilike(pattern),
                School.school_number.ilike(pattern),
                School.town.ilike(pattern),
            )
        )
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > pagination.pages > 0:  # past the end, e.g. after schools were removed: the last
        pagination = db.paginate(query, page=pagination.pages, per_page=per_page)
    return pagination


def staff_of(school: School) -> list[SchoolMembership]:
    query = (
        sa.select(SchoolMembership)
        .join(SchoolMembership.user)
        .where(SchoolMembership.school_id == school.id)
        .options(sa.orm.contains_eager(SchoolMembership.user))
        .order_by(User.name)
    )
    return list(db.session.scalars(query))


# --- CSV import -----------------------------------------------------------------------------

CSV_COLUMNS = {
    "schulnummer": "school_number",
    "name": "name",
    "schulart": "school_type",
    "strasse": "street",
    "plz": "postal_code",
    "ort": "town",
    "schultraeger": "school_authority",
    "landkreis": "district",
    "email": "email",
    "telefon": "phone",
}
OPTIONAL_COLUMNS = {"email", "telefon"}
MAX_LENGTHS = {
    "name": 200,
    "street": 200,
    "town": 100,
    "school_authority": 200,
    "district": 100,
    "email": 254,
    "phone": 50,
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


class ImportFailedError(Exception):
    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def import_csv(data: bytes, actor: User) -> ImportReport:
    """Create or update schools from a CSV file; any problem imports nothing at all."""
    rows, problems = _parse_csv(data)
    if problems:
        raise ImportFailedError(problems)
    existing = {
        school.school_number: school
        for school in db.session.scalars(
            sa.select(School).where(
                School.school_number.in_([values["school_number"] for _, values in rows])
            )
        )
    }
    report = ImportReport()
    created: list[School] = []
    changed: list[tuple[School, dict]] = []
    for _line, values in rows:
        school = existing.get(values["school_number"])
        if school is None:
            created.append(School(**values))
            report.created += 1
        else:
            changes = _apply(school, values)
            if changes:
                changed.append((school, changes))
            report.updated += 1
    db.session.add_all(created)
    db.session.flush()
    _record_import(created, changed, report, actor)
    return report


def _record_import(
    created: list[School], changed: list[tuple[School, dict]], report: ImportReport, actor: User
) -> None:
    """One entry per school created or changed (so the log filters by school), one summary."""
    for school in created:
        record(
            "school.created",
            school,
            actor,
            school_number=school.school_number,
            source="csv_import",
        )
    for school, changes in changed:
        record("school.updated", school, actor, changes=changes, source="csv_import")
    record("schools.imported", None, actor, created=report.created, updated=report.updated)


def _parse_csv(data: bytes) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    text = decode(data)
    if text is None:
        return [], [(1, _("Die Datei ist keine Textdatei in UTF-8 oder Windows-1252."))]
    if not text.strip():
        return [], [(1, _("Die Datei ist leer."))]
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect(text))
    header = [header_key(cell) for cell in next(reader)]
    missing = [name for name in CSV_COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    unknown = [name for name in header if name not in CSV_COLUMNS]
    problems: list[tuple[int, str]] = []
    if missing:
        problems.append((1, _("Es fehlen Spalten: %(names)s", names=", ".join(missing))))
    if unknown:
        problems.append((1, _("Unbekannte Spalten: %(names)s", names=", ".join(unknown))))
    if problems:
        return [], problems
    rows: list[tuple[int, dict]] = []
    first_line: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values, row_problems = _row_values(header, cells)
        number = values.get("school_number")
        if number and number in first_line:
            row_problems.append(
                _(
                    "Schulnummer %(number)s steht schon in Zeile %(line)d.",
                    number=number,
                    line=first_line[number],
                )
            )
        elif number:
            first_line[number] = line
        problems += [(line, message) for message in row_problems]
        rows.append((line, values))
    if not rows and not problems:
        problems.append((2, _("Die Datei enthält keine Schulen.")))
    return rows, problems


def _row_values(header: list[str], cells: list[str]) -> tuple[dict, list[str]]:
    if len(cells) != len(header):
        message = _(
            "Die Zeile hat %(found)d statt %(expected)d Spalten.",
            found=len(cells),
            expected=len(header),
        )
        return {}, [message]
    raw = {CSV_COLUMNS[name]: cell.strip() for name, cell in zip(header, cells, strict=True)}
    raw.setdefault("email", "")
    raw.setdefault("phone", "")
    problems = []
    for column, attribute in CSV_COLUMNS.items():
        if column not in OPTIONAL_COLUMNS and not raw[attribute]:
            problems.append(_("Die Spalte „%(column)s“ ist leer.", column=column))
    for column, attribute in CSV_COLUMNS.items():
        if has_control_characters(raw.get(attribute) or ""):
            problems.append(
                _(
                    "Die Spalte „%(column)s“ enthält einen Zeilenumbruch oder ein Steuerzeichen.",
                    column=column,
                )
            )
    for attribute, limit in MAX_LENGTHS.items():
        if len(raw[attribute]) > limit:
            problems.append(
                _(
                    "„%(value)s…“ ist zu lang (höchstens %(max)d Zeichen).",
                    value=raw[attribute][:20],
                    max=limit,
                )
            )
    if raw["school_number"] and not SCHOOL_NUMBER_PATTERN.match(raw["school_number"]):
        problems.append(
            _(
                "Die Schulnummer „%(value)s“ besteht nicht aus 4 bis 8 Ziffern.",
                value=raw["school_number"],
            )
        )
    if raw["postal_code"] and not POSTAL_CODE_PATTERN.match(raw["postal_code"]):
        problems.append(
            _("Die Postleitzahl „%(value)s“ hat nicht 5 Ziffern.", value=raw["postal_code"])
        )
    school_type = school_type_from_text(raw["school_type"]) if raw["school_type"] else None
    if raw["school_type"] and school_type is None:
        known = ", ".join(str(label) for label in SCHOOL_TYPE_LABELS.values())
        problems.append(
            _(
                "Die Schulart „%(value)s“ gibt es nicht. Möglich sind: %(known)s.",
                value=raw["school_type"],
                known=known,
            )
        )
    raw["school_type"] = school_type
    if raw["email"]:
        try:
            raw["email"] = checked_email_address(raw["email"])
        except EmailNotValidError:
            problems.append(_("Die E-Mail-Adresse „%(value)s“ ist ungültig.", value=raw["email"]))
    raw["email"] = raw["email"] or None
    raw["phone"] = raw["phone"] or None
    return raw, problems
