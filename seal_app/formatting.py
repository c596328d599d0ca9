"""Small formatting helpers shared by templates, messages and PDFs."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask import Flask
from flask_babel import format_date, format_decimal, format_time
from flask_babel import gettext as _


def file_size(size: int) -> str:
    """A size as people read it: 512 Bytes, 34 KB, 2,5 MB."""
    if size < 1024:
        return f"{size} Bytes"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def two_decimals(value: Fraction | float | int | None) -> str:
    """A mean level as people read it, always with two places: „2,00“, „1,83“, „–“ without any.

    Rounded half up from the exact value, as the rounded means are."""
    if value is None:
        return "–"
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    return format_decimal(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), format="0.00")


def moment(value: datetime) -> str:
    """A point in time as people read it, in the user's time zone: 25. November 2026, 21:02 Uhr."""
    return _(
        "%(date)s, %(time)s Uhr",
        date=format_date(value, "long", rebase=True),
        time=format_time(value, "short", rebase=True),
    )


def register(app: Flask) -> None:
    app.jinja_env.filters["filesize"] = file_size
    app.jinja_env.filters["moment"] = moment
