"""Retention of the audit log (Protokoll der Änderungen).

Entries older than ``AUDIT_RETENTION_DAYS`` are deleted. An entry of the record of a seal (a
decision, a certificate, a feedback letter, a signed document's time-stamp) stays as long as
the school holds a certificate that is still within its validity, however short the period is
set: who decided and who issued must be answerable while the certificate can be shown. With the
default of ten years every such entry outlives the five years of its seal anyway.

Evidence files are deleted earlier (``apply.delete_evidence``); with them their names and
descriptions leave the entries that are kept: a name is replaced by a neutral text, so that
the entry still says that a file was uploaded, replaced or deleted, when and by whom, with its
size and SHA-256.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from seal_app.applications.models import Application
from seal_app.audit.models import AuditEntry
from seal_app.certificates.models import Certificate
from seal_app.extensions import db

# The record of a seal: kept while the school's certificate is valid.
RECORD_ACTIONS = ("decision.", "certificate.", "feedback_letter.", "document.")
# Entries that name evidence files, and the details holding names or descriptions.
FILE_ACTIONS = (
    "evidence.uploaded",
    "evidence.described",
    "evidence.deleted",
    "evidence.replaced",
    "vote.document_uploaded",
)
# Stored in the entries like the names they replace: data, not page text.
NAME_REMOVED = "(Dateiname nach Löschfrist entfernt)"
DESCRIPTION_REMOVED = "(Beschreibung nach Löschfrist entfernt)"


def due_entries(before: datetime, today: date) -> sa.ColumnElement[bool]:
    """Entries written before ``before``, except the record of a seal still valid ``today``."""
    schools_with_valid_seal = (
        sa.select(Application.school_id)
        .join(Certificate, Certificate.application_id == Application.id)
        .where(Certificate.valid_until >= today)
    )
    record_of_valid_seal = sa.and_(
        sa.or_(*(AuditEntry.action.startswith(prefix) for prefix in RECORD_ACTIONS)),
        AuditEntry.school_id.in_(schools_with_valid_seal),
    )
    return sa.and_(AuditEntry.occurred_at < before, sa.not_(record_of_valid_seal))


def count_due(before: datetime, today: date) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(due_entries(before, today))
    )


def delete_due(before: datetime, today: date) -> int:
    result = db.session.execute(
        sa.delete(AuditEntry)
        .where(due_entries(before, today))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def remove_file_names(application: Application) -> int:
    """Replace the names and descriptions of the application's evidence in its entries;
    returns the number of entries changed (a second run changes none)."""
    entries = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.school_id == application.school_id,
            AuditEntry.action.in_(FILE_ACTIONS),
        )
    )
    changed = 0
    for entry in entries:
        details = entry.details or {}
        if details.get("application_id") != application.id:
            continue
        cleaned = without_names(entry.action, details)
        if cleaned != details:
            entry.details = cleaned  # a new dict: the JSON column notices only assignment
            changed += 1
    return changed


def without_names(action: str, details: dict[str, Any]) -> dict[str, Any]:
    """``details`` with every file name and description replaced by the neutral texts."""
    cleaned = {}
    for key, value in details.items():
        if key == "file" and value:
            value = NAME_REMOVED
        elif key == "description" and value:
            value = DESCRIPTION_REMOVED
        elif key in ("old", "new") and isinstance(value, dict) and value.get("name"):
            value = {**value, "name": NAME_REMOVED}  # a replaced file
        elif key in ("old", "new") and action == "evidence.described" and value:
            value = DESCRIPTION_REMOVED  # a changed description
        cleaned[key] = value
    return cleaned
