"""Reading CSV files that offices keep in a spreadsheet: the encoding (UTF-8 with or without
BOM, else Windows-1252), the delimiter (semicolon or comma) and header names compared
without regard to case, umlauts or surrounding spaces. Used by every CSV import."""

from __future__ import annotations

import csv


def decode(data: bytes) -> str | None:
    """The text of the file: UTF-8 read strictly first, else Windows-1252; None for a file
    that is neither (or holds NUL, as binary files do)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None


def dialect(text: str) -> type[csv.Dialect]:
    """Comma or semicolon, whichever the first line holds more of (Excel in German writes
    semicolons)."""
    first_line = text.split("\n", 1)[0]
    return csv.excel if first_line.count(",") > first_line.count(";") else _Semicolon


class _Semicolon(csv.excel):
    delimiter = ";"


def header_key(cell: str) -> str:
    """A header as compared: „ Gültig bis “ and „gueltig BIS“ are the same column."""
    key = cell.strip().casefold()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("-", "")):
        key = key.replace(umlaut, plain)
    return key
