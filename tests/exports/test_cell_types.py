"""How a cell reaches the spreadsheet: in XLSX every text is an explicit text cell (shown as
typed, never run as a formula); in CSV a code of digits keeps its leading zeros."""

from __future__ import annotations

import io

from seal_app.exports.cells import Code
from seal_app.exports.tables import Table
from seal_app.exports.writers import write_csv, write_xlsx
from tests.exports.helpers import csv_rows, xlsx_sheet

RISKY = ["+49 381 123", "=1+1", "-Förderschule Süd", "@SUMME(A1)", "\t=1", "Grundschule"]


def _written(writer, header, rows) -> bytes:
    out = io.BytesIO()
    writer(Table("Test", header, iter(rows)), out)
    return out.getvalue()


def test_xlsx_texts_are_text_cells_shown_as_typed():
    data = _written(write_xlsx, ("=Kopf", "Text"), [(text, "x") for text in RISKY])
    sheet = xlsx_sheet(data)
    cells = [sheet.cell(row=index, column=1) for index in range(1, len(RISKY) + 2)]
    assert [cell.value for cell in cells] == ["=Kopf", *RISKY]  # no apostrophe in front
    assert {cell.data_type for cell in cells} == {"s"}  # text, not formula ('f')


def test_xlsx_codes_are_text_with_their_zeros():
    sheet = xlsx_sheet(_written(write_xlsx, ("PLZ",), [(Code("01234"),)]))
    assert sheet["A2"].value == "01234" and sheet["A2"].data_type == "s"


def test_csv_keeps_the_neutralisation_for_texts():
    rows = csv_rows(_written(write_csv, ("Schule",), [(text,) for text in RISKY]))
    assert [row[0] for row in rows[1:]] == [
        "'+49 381 123",
        "'=1+1",
        "'-Förderschule Süd",
        "'@SUMME(A1)",
        "'\t=1",
        "Grundschule",
    ]


def test_csv_codes_of_digits_start_with_a_tab_so_their_zeros_stay():
    data = _written(
        write_csv, ("Schulnummer", "PLZ"), [(Code("0750012"), Code("01234")), (Code("75001"), "x")]
    )
    assert data.splitlines()[1:] == [b"\t0750012;\t01234", b"\t75001;x"]


def test_csv_codes_that_are_not_only_digits_are_neutralised_like_any_text():
    data = _written(write_csv, ("Nummer",), [(Code("=1+1"),), (Code("2026-001"),)])
    assert data.splitlines()[1:] == [b"'=1+1", b"2026-001"]
