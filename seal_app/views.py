"""Small helpers for views."""

from __future__ import annotations

from typing import TypeVar

from flask import abort

from seal_app.extensions import db

Model = TypeVar("Model")


def get_or_404(model: type[Model], object_id: object) -> Model:
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found
