"""Reading the office's list of paper-era seals (CSV): columns, dates, the rules each row must
meet on its own. What the rows mean against the database (known numbers, schools) is
``paper_import``'s part."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from seal_app.certificates.issuing import NUMBER_MAX_LENGTH, valid_until
from seal_app.csv_text import decode, dialect, header_key
from seal_app.exports.cells import FORMULA_STARTS
from seal_app.forms import has_control_characters
from seal_app.schools.models import SchoolType
from seal_app.schools.rules import SCHOOL_NUMBER_PATTERN, school_type_from_text

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000  # a district has awarded a few dozen seals; more is not such a list

# header (as ``header_key`` reads it) -> (field, label shown in messages)
COLUMNS = {
    "schulnummer": ("school_number", "Schulnummer"),
    "schule": ("school_name", "Schule"),
    "ort": ("town", "Ort"),
    "urkunde": ("number", "Urkunde"),
    "verliehen am": ("issued_on", "Verliehen am"),
    "gueltig bis": ("valid_until", "Gültig bis"),
    "bemerkung": ("remark", "Bemerkung"),
    "schulart": ("school_type", "Schulart"),
}
OPTIONAL = {"gueltig bis", "bemerkung", "schulart"}
MAX_LENGTHS = {"number": NUMBER_MAX_LENGTH, "school_name": 200, "town": 100, "remark": 2000}

# printed numbers: letters, digits, spaces and - / . _ (no empty or dot-only part between
# slashes, so that the number's address on the verification page stays what it is)
NUMBER_PATTERN = re.compile(r"^[0-9A-Za-zÄÖÜäöüß][0-9A-Za-zÄÖÜäöüß .\-/_]*$")
VERIFY_ENDPOINT = "public_seals.verify"
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")

# the school type read from the name when the file has no „Schulart“ (longest first)
TYPE_WORDS = (
    ("integrierte gesamtschule", SchoolType.INTEGRIERTE_GESAMTSCHULE),
    ("kooperative gesamtschule", SchoolType.KOOPERATIVE_GESAMTSCHULE),
    ("regionale schule", SchoolType.REGIONALE_SCHULE),
    ("berufliche schule", SchoolType.BERUFLICHE_SCHULE),
    ("berufsschule", SchoolType.BERUFLICHE_SCHULE),
    ("waldorfschule", SchoolType.FREIE_WALDORFSCHULE),
    ("gesamtschule", SchoolType.KOOPERATIVE_GESAMTSCHULE),
    ("grundschule", SchoolType.GRUNDSCHULE),
    ("gymnasium", SchoolType.GYMNASIUM),
    ("förderschule", SchoolType.FOERDERSCHULE),
    ("foerderschule", SchoolType.FOERDERSCHULE),
)


@dataclass
class SealRow:
    """One row of the file: its values (as typed where they could not be read) and what is
    wrong with it on its own."""

    line: int
    number: str = ""
    school_number: str = ""
    school_name: str = ""
    town: str = ""
    issued_on: date | None = None
    valid_until: date | None = None
    remark: str = ""
    school_type: SchoolType | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class SealFile:
    rows: list[SealRow]
    problems: list[str]  # the file as a whole: nothing in it can be imported


def read(data: bytes, today: date) -> SealFile:
    """The rows of the file, each checked on its own; or why the file cannot be read."""
    if len(data) > MAX_BYTES:
        return SealFile([], [_("Die Datei ist größer als 1 MB.")])
    text = decode(data)
    if text is None:
        return SealFile([], [_("Die Datei ist keine CSV-Datei (Text in UTF-8 oder Windows-1252).")])
    if not text.strip():
        return SealFile([], [_("Die Datei ist leer.")])
    try:
        records = _records(text)
    except csv.Error as error:
        return SealFile([], [_("Die Datei lässt sich nicht als CSV lesen: %(error)s", error=error)])
    header = [header_key(cell) for cell in records[0][1]]
    problems = _header_problems(header)
    if problems:
        return SealFile([], problems)
    body = [(line, cells) for line, cells in records[1:] if any(cell.strip() for cell in cells)]
    if not body:
        return SealFile([], [_("Die Datei enthält keine Urkunden, nur die Kopfzeile.")])
    if len(body) > MAX_ROWS:
        message = _("Die Datei hat mehr als %(max)d Zeilen mit Urkunden.", max=MAX_ROWS)
        return SealFile([], [message])
    return SealFile([_row(line, header, cells, today) for line, cells in body], [])


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The records with the line each starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect(text))
    records, line = [], 1
    for cells in reader:
        records.append((line, cells))
        line = reader.line_num + 1
    return records


def _header_problems(header: list[str]) -> list[str]:
    missing = [COLUMNS[key][1] for key in COLUMNS if key not in header and key not in OPTIONAL]
    unknown = [key for key in header if key not in COLUMNS]
    doubled = sorted({key for key in header if header.count(key) > 1 and key in COLUMNS})
    problems = []
    if missing:
        problems.append(_("Es fehlen Spalten: %(names)s", names=", ".join(missing)))
    if unknown:
        problems.append(_("Unbekannte Spalten: %(names)s", names=", ".join(unknown)))
    if doubled:
        names = ", ".join(COLUMNS[key][1] for key in doubled)
        problems.append(_("Doppelte Spalten: %(names)s", names=names))
    return problems


def _row(line: int, header: list[str], cells: list[str], today: date) -> SealRow:
    row = SealRow(line)
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        row.problems.append(
            _("Die Zeile hat mehr Spalten als die Kopfzeile (%(count)d).", count=len(header))
        )
    raw = {COLUMNS[key][0]: _cell(cell) for key, cell in zip(header, cells, strict=False)}
    for key, (name, label) in COLUMNS.items():
        value = raw.get(name, "")
        if has_control_characters(value):
            row.problems.append(
                _(
                    "Die Spalte „%(column)s“ enthält einen Zeilenumbruch oder ein Steuerzeichen.",
                    column=label,
                )
            )
            raw[name] = value = "".join(" " if not c.isprintable() else c for c in value)
        if value.startswith(FORMULA_STARTS):
            row.problems.append(
                _("Die Spalte „%(column)s“ beginnt wie eine Tabellenformel.", column=label)
            )
        limit = MAX_LENGTHS.get(name)
        if limit and len(value) > limit:
            row.problems.append(
                _(
                    "Die Spalte „%(column)s“ ist zu lang (höchstens %(max)d Zeichen).",
                    column=label,
                    max=limit,
                )
            )
        if key not in OPTIONAL and not value:
            row.problems.append(_("Die Spalte „%(column)s“ ist leer.", column=label))
    row.number, row.school_number = raw.get("number", ""), raw.get("school_number", "")
    row.school_name, row.town = raw.get("school_name", ""), raw.get("town", "")
    row.remark = raw.get("remark", "")
    _check_numbers(row)
    _read_dates(row, raw.get("issued_on", ""), raw.get("valid_until", ""), today)
    row.school_type = _school_type(row, raw.get("school_type", ""))
    return row


def _cell(cell: str) -> str:
    """The cell's text; a lone „-“, the usual placeholder of an empty cell, is empty."""
    value = cell.strip()
    return "" if value == "-" else value


def _check_numbers(row: SealRow) -> None:
    if row.number and (
        not NUMBER_PATTERN.match(row.number)
        or any(part.strip(" .") == "" for part in row.number.split("/"))
    ):
        row.problems.append(
            _(
                "Die Urkundennummer „%(number)s“ enthält andere Zeichen als Buchstaben, "
                "Ziffern, Leerzeichen und - / . _",
                number=row.number[:NUMBER_MAX_LENGTH],
            )
        )
    elif row.number and not _verified_at_its_address(row.number):
        row.problems.append(
            _(
                "Die Urkundennummer „%(number)s“ ist so nicht möglich: Ihre Adresse auf der "
                "Prüfseite (/verify/%(number)s) führt zu einer anderen Seite.",
                number=row.number,
            )
        )
    if row.school_number and not SCHOOL_NUMBER_PATTERN.match(row.school_number):
        row.problems.append(
            _(
                "Die Schulnummer „%(value)s“ besteht nicht aus 4 bis 8 Ziffern.",
                value=row.school_number[:20],
            )
        )


def _verified_at_its_address(number: str) -> bool:
    """Whether /verify/<number> is the verification page of exactly this number, and not the
    address of another certificate's badge, credential or any other page."""
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(
            f"/verify/{number}", method="GET"
        )
    except HTTPException:  # not found, another method, or a redirect to another address
        return False
    return endpoint == VERIFY_ENDPOINT and values == {"number": number}


def _read_dates(row: SealRow, issued: str, until: str, today: date) -> None:
    row.issued_on = _date(row, issued, "Verliehen am") if issued else None
    row.valid_until = _date(row, until, "Gültig bis") if until else None
    if row.issued_on is None:
        return
    if row.issued_on > today:
        row.problems.append(
            _(
                "„Verliehen am“ (%(date)s) liegt in der Zukunft.",
                date=row.issued_on.strftime("%d.%m.%Y"),
            )
        )
    if row.valid_until is None and not until:
        years = current_app.config["CERTIFICATE_VALID_YEARS"]
        row.valid_until = valid_until(row.issued_on, years)
    elif row.valid_until is not None and row.valid_until < row.issued_on:
        row.problems.append(
            _(
                "„Gültig bis“ (%(until)s) liegt vor „Verliehen am“ (%(issued)s).",
                until=row.valid_until.strftime("%d.%m.%Y"),
                issued=row.issued_on.strftime("%d.%m.%Y"),
            )
        )
    elif row.valid_until is not None and row.valid_until > _latest_end(row.issued_on):
        row.problems.append(
            _(
                "„Gültig bis“ (%(until)s) liegt mehr als %(years)d Jahre nach „Verliehen am“ "
                "(%(issued)s): Das Siegel gilt %(years)d Jahre.",
                until=row.valid_until.strftime("%d.%m.%Y"),
                issued=row.issued_on.strftime("%d.%m.%Y"),
                years=current_app.config["CERTIFICATE_VALID_YEARS"],
            )
        )


def _latest_end(issued_on: date) -> date:
    """The latest „Gültig bis“ a seal awarded on ``issued_on`` may have: the end of the month
    in which its validity ends, for lists that wrote validity to the end of a month."""
    years = current_app.config["CERTIFICATE_VALID_YEARS"]
    anniversary = valid_until(issued_on, years) + timedelta(days=1)
    next_month = (anniversary.replace(day=1) + timedelta(days=32)).replace(day=1)
    return next_month - timedelta(days=1)


def _date(row: SealRow, value: str, label: str) -> date | None:
    """A German date (31.12.2014, 1.2.2014) or an ISO one (2014-12-31)."""
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if day.year >= 1900:
            return day
    row.problems.append(
        _(
            "„%(value)s“ in der Spalte „%(column)s“ ist kein Datum wie 31.12.2014.",
            value=value[:20],
            column=label,
        )
    )
    return None


def _school_type(row: SealRow, typed: str) -> SchoolType | None:
    """The type named in „Schulart“ or, without it, read from the school's name (needed only
    when the school is new; ``paper_import`` says so then)."""
    if typed:
        found = school_type_from_text(typed)
        if found is None:
            row.problems.append(_("Die Schulart „%(value)s“ gibt es nicht.", value=typed[:40]))
        return found
    name = row.school_name.casefold()
    return next((kind for word, kind in TYPE_WORDS if word in name), None)
