"""The district's local time: the zone all dates are read in, and today's date there."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    """``BABEL_DEFAULT_TIMEZONE`` as ``zoneinfo`` (Babel's pytz zone, given to
    ``datetime.combine``, would use the zone's first offset in history: 0:53 for Berlin)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_today() -> date:
    return datetime.now(local_zone()).date()
