"""The district's local time: the zone all dates are read in, today's date there, and
calendar months."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    """``BABEL_DEFAULT_TIMEZONE`` as ``zoneinfo`` (Babel's pytz zone, given to
    ``datetime.combine``, would use the zone's first offset in history: 0:53 for Berlin)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_today() -> date:
    return datetime.now(local_zone()).date()


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later, or earlier for a negative number (the month's last day
    where that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
