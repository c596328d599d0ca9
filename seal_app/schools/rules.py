"""The rules a school's data must meet, shared by the form and the CSV import."""

from __future__ import annotations

import re

from seal_app.schools.models import SCHOOL_TYPE_LABELS, SchoolType

SCHOOL_NUMBER_PATTERN = re.compile(r"^\d{4,8}$")
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")


def school_type_from_text(text: str) -> SchoolType | None:
    """Accept the code (``gymnasium``) or the German name (``Regionale Schule``)."""
    wanted = text.strip().casefold()
    for school_type in SchoolType:
        if wanted in (school_type.value, str(SCHOOL_TYPE_LABELS[school_type]).casefold()):
            return school_type
    return None
