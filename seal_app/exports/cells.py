"""Cell values shared by every file a spreadsheet may open (exports, the public CSV list)."""

from __future__ import annotations

from datetime import date, datetime

Cell = str | int | float | date | datetime | None
"""A plain value of a table: text, a number, a day, a moment (time-zone aware) or empty."""

# What spreadsheet programs read as the start of a formula (OWASP "CSV injection"): the four
# signs, and tab and carriage return, which some programs drop before looking at the sign.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: str) -> str:
    """A text a spreadsheet would run as a formula is written as text (a leading apostrophe)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class Code(str):
    """A text of digits that names something (a school number, a postcode): never a number to
    calculate with, and its leading zeros count."""


def kept_as_text(code: Code) -> str:
    """A code of digits for CSV, so that spreadsheet programs keep its leading zeros.

    A CSV cell has no type: Excel reads „01234“ in a ``;``-separated UTF-8 file as the number
    1234, quoted or not, and so does LibreOffice unless the column is set to text in its
    import dialog. ``="01234"`` would keep the zero but is a formula, which ``neutral`` exists
    to prevent; an apostrophe in front stays visible. A tab in front makes the cell no number,
    so it is kept as text, zeros and all (the usual way to keep leading zeros in CSV for Excel).
    It is safe: only digits follow the tab, so a program that drops the tab before looking
    sees a plain number, never a formula sign. Programs reading the file as data see the tab
    and strip it like any white space. Codes that are not only digits are treated like any
    other text. For work in a spreadsheet the XLSX export is the better choice: there every
    code is a text cell without the tab.
    """
    return f"\t{code}" if code.isascii() and code.isdigit() else neutral(code)
