"""Small helpers for views: ids from the outside world, saving versioned records."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, flash
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from seal_app.database import ConflictError, transaction
from seal_app.extensions import db

Model = TypeVar("Model")

# The largest value of an INTEGER column (32-bit signed on PostgreSQL): ids and page numbers
# beyond it cannot exist, and SQLite refuses to even compare with them (OverflowError).
MAX_DATABASE_INT = 2**31 - 1


def _up_to(limit: str) -> str:
    """A regular expression for the decimal numbers from 0 to ``limit`` (no leading sign)."""
    shorter = rf"[0-9]{{1,{len(limit) - 1}}}"  # not \d: that takes other scripts' digits too
    same_length = [
        limit[:position] + f"[0-{int(digit) - 1}]" + rf"[0-9]{{{len(limit) - position - 1}}}"
        for position, digit in enumerate(limit)
        if digit != "0"
    ]
    return "|".join([shorter, *same_length, limit])


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: only numbers an id column can hold, anything else is 404."""

    # Only 0 … 2147483647 match at all, so a larger number finds no route (404) whatever other
    # routes share the path: a converter that refuses a matched value lets Werkzeug answer 405
    # when a route for another method comes first.
    regex = _up_to(str(MAX_DATABASE_INT))

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DATABASE_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app: Flask) -> None:
    """Replace Flask's unbounded ``int`` converter; call before the blueprints are registered."""
    app.url_map.converters["int"] = DatabaseIdConverter


def database_id(text: str) -> int:
    """An id from a form or query string; ``ValueError`` (so ``type=`` gives the default) when
    it is not a plain number an id column can hold."""
    if not text.isascii() or not text.isdigit() or int(text) > MAX_DATABASE_INT:
        raise ValueError(text)
    return int(text)


def optional_id(text: str | None) -> int | None:
    """An id from a form field, or None for anything else (empty, „²“, „٤“, too large)."""
    try:
        return database_id(text or "")
    except ValueError:
        return None


def page_number(text: str) -> int:
    """A page number from the query string, at least 1 and at most what the database can count;
    a page past the last one is the caller's to handle (show the last page)."""
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    return min(max(int(text), 1), MAX_DATABASE_INT)


def get_or_404(model: type[Model], object_id: object) -> Model:
    if not isinstance(object_id, int) or not 0 < object_id <= MAX_DATABASE_INT:
        abort(404)
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def save_versioned(form, save: Callable[[], None], current: Callable[[], object | None]):
    """Run ``save`` in one transaction; the one way every versioned record is saved.

    If someone else saved the same record first (before the form was sent, or at the very same
    moment), nothing is stored and the form keeps what was typed, now based on the newest
    version, so that saving again is a deliberate decision. Returns (saved, what is stored now
    if someone changed it, else None).
    """
    shown = form.version.data
    try:
        with transaction():
            save()
    except ConflictError:
        latest = current()
        form.version.data = latest.version if latest is not None else None
        if latest is None or latest.version == shown:  # nothing new to show: the database was busy
            flash(
                _(
                    "Das Speichern ist gerade nicht gelungen, weil viele gleichzeitig "
                    "speichern. Ihre Eingaben stehen noch im Formular. Bitte speichern "
                    "Sie noch einmal."
                ),
                "warning",
            )
            return False, None
        return False, latest
    return True, None
