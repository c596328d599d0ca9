"""Writing a table as XLSX (openpyxl) or as CSV for German spreadsheet programs.

Both write into a binary file the caller gives (a spooled temporary file: small exports stay
in memory, large ones go to disk), row by row; openpyxl's write-only mode keeps no sheet in
memory. No text runs as a formula: in XLSX each is an explicit text cell, in CSV a text
starting like a formula gets an apostrophe in front (``cells.neutral``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain, islice
from typing import BinaryIO

from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from seal_app.exports.cells import Cell, Code, kept_as_text, neutral
from seal_app.exports.tables import Table
from seal_app.local_time import local_zone

DATE_FORMAT = "DD.MM.YYYY"
MOMENT_FORMAT = "DD.MM.YYYY HH:MM"
WIDTH_SAMPLE = 200  # rows looked at to choose the column widths
MIN_WIDTH, MAX_WIDTH = 8, 60
XLSX_TEXT_LIMIT = 32_767  # characters a cell of Excel holds
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv"


def local_moment(value: datetime) -> datetime:
    """A stored (UTC) moment as the office's wall-clock time, without zone: spreadsheets have
    no time zones."""
    return value.astimezone(local_zone()).replace(tzinfo=None)


# --- XLSX -------------------------------------------------------------------------------------


def write_xlsx(table: Table, out: BinaryIO) -> None:
    """One sheet: the header bold and frozen above the rows, columns as wide as their first
    rows need, days and moments as real date cells in German notation."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.name))
    rows = iter(table.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(_widths(table.header, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in table.header:
        cell = _xlsx_text(sheet, title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(out)


def _xlsx_cell(sheet, value: Cell):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=local_moment(value))
        cell.number_format = MOMENT_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return _xlsx_text(sheet, value)
    return value


def _xlsx_text(sheet, value: str) -> WriteOnlyCell:
    """An explicit text cell: shown as it was typed (no apostrophe in front), and never run
    as a formula, whatever sign it starts with. Control characters a workbook cannot hold are
    dropped; very long texts are cut."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_TEXT_LIMIT])
    cell.data_type = "s"  # openpyxl made a formula ("f") of a text starting with "="
    return cell


def _sheet_title(name: str) -> str:
    """Excel allows 31 characters and none of ``[]:*?/\\`` in a sheet's name."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Export"


def _widths(header: Iterable[str], sample: list[tuple[Cell, ...]]) -> list[float]:
    widths = [len(title) for title in header]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _shown_length(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _shown_length(value: Cell) -> int:
    if isinstance(value, datetime):
        return len("31.12.2026 23:59")
    if isinstance(value, date):
        return len("31.12.2026")
    return 0 if value is None else len(str(value))


# --- CSV --------------------------------------------------------------------------------------


def write_csv(table: Table, out: BinaryIO) -> None:
    """UTF-8 with a byte order mark and ``;`` between cells, as Excel and LibreOffice in German
    read a CSV file with a double click; numbers with a decimal comma, days as 31.12.2026."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";")
    writer.writerow([neutral(title) for title in table.header])
    for row in table.rows:
        writer.writerow([_csv_text(value) for value in row])
    text.flush()
    text.detach()  # the caller's file stays open


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_moment(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return format_decimal(value, locale="de_DE")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Code):
        return kept_as_text(value)
    return neutral(value)
