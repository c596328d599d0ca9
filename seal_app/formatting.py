"""Small formatting helpers shared by templates, messages and PDFs."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal


def file_size(size: int) -> str:
    """A size as people read it: 512 Bytes, 34 KB, 2,5 MB."""
    if size < 1024:
        return f"{size} Bytes"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def register(app: Flask) -> None:
    app.jinja_env.filters["filesize"] = file_size
