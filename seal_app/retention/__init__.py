"""Data retention (DSGVO): what is due for deletion on a given day, deleting it, and the
weekly task and command that do so (``flask seal retention [--dry-run]``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Offer the periods in words to templates (the Datenschutzerklärung); importing ``apply``
    marks the weekly task, so call this before ``tasks.init_app``."""
    from seal_app.retention import apply, wording  # noqa: F401  (apply: the weekly task)

    app.jinja_env.globals["retention_periods"] = wording.periods_in_words
