"""The blueprint of the school's application pages, shared by the modules that add its routes."""

from __future__ import annotations

from flask import Blueprint, current_app

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role

bp = Blueprint("applications", __name__, url_prefix="/applications")
school_only = roles_required(Role.SCHOOL)


def max_file_bytes() -> int:
    """The largest evidence file accepted, from the configuration."""
    return current_app.config["UPLOAD_MAX_FILE_BYTES"]
