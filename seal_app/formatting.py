"""Small formatting helpers shared by templates, messages and PDFs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from babel import lists, numbers
from flask import Flask
from flask_babel import format_date, format_decimal, format_time, get_locale
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
    return _two_decimals_in(str(get_locale()), value)


@lru_cache(maxsize=1024)
def _two_decimals_in(locale: str, value: Fraction | float | int) -> str:
    """Cached: a jury meeting shows the same few means (halves, thirds) again and again."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    rounded = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return numbers.format_decimal(rounded, format="0.00", locale=locale)


def moment(value: datetime) -> str:
    """A point in time as people read it, in the user's time zone: 25. November 2026, 21:02 Uhr."""
    return _(
        "%(date)s, %(time)s Uhr",
        date=format_date(value, "long", rebase=True),
        time=format_time(value, "short", rebase=True),
    )


def codes(items: Iterable[str]) -> str:
    """Criteria codes as a sentence lists them: „A.1“, „A.1 und I.1“, „A.1, B.2 und I.1“."""
    return lists.format_list(list(items), locale=str(get_locale() or "de"))


def register(app: Flask) -> None:
    app.jinja_env.filters["codes"] = codes
    app.jinja_env.filters["filesize"] = file_size
    app.jinja_env.filters["moment"] = moment
