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
