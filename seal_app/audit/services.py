"""Writing audit entries; callers add them in the same transaction as the change itself."""

from __future__ import annotations

from typing import Any

from werkzeug.local import LocalProxy

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db


def record(action: str, obj: Any | None, actor: Any = None, **details: Any) -> AuditEntry:
    """Add an audit entry for ``obj`` (None: no single object) in the current transaction."""
    if isinstance(obj, LocalProxy):
        obj = obj._get_current_object()
    db.session.flush()  # so that a new object has its id
    entry = AuditEntry(
        action=action,
        object_type=type(obj).__tablename__ if obj is not None else "-",
        object_id=str(obj.id) if obj is not None else "-",
        school_id=school_id_of(obj, details),
        actor_id=getattr(actor, "id", None),
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(entry)
    return entry


def school_id_of(obj: Any | None, details: dict[str, Any]) -> int | None:
    """The school an object belongs to: itself, its ``school_id``, or its application's."""
    if obj is not None:
        if getattr(obj, "__tablename__", None) == "schools":
            return obj.id
        if isinstance(getattr(obj, "school_id", None), int):
            return obj.school_id
        application = getattr(obj, "application", None)
        if application is not None:
            return application.school_id
    school_id = details.get("school_id")
    return school_id if isinstance(school_id, int) else None


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)
