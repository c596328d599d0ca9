"""The security log: logins, failed and refused logins, logouts and password changes.

Kept apart from the audit log: it records attempts (many, and from strangers), not decisions,
and may get its own retention period. Passwords are never recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination

from seal_app.auth.models import SecurityEvent, SecurityEventKind, User
from seal_app.extensions import db

EVENT_LABELS = {
    SecurityEventKind.LOGIN_SUCCEEDED: _l("Anmeldung erfolgreich"),
    SecurityEventKind.LOGIN_FAILED: _l("Anmeldung fehlgeschlagen"),
    SecurityEventKind.LOGIN_REFUSED: _l("Anmeldung abgewiesen: zu viele Versuche"),
    SecurityEventKind.LOGOUT: _l("Abmeldung"),
    SecurityEventKind.PASSWORD_CHANGED: _l("Passwort geändert"),
    SecurityEventKind.PASSWORD_SET_BY_LINK: _l("Passwort über einen Link festgelegt"),
    SecurityEventKind.PASSWORD_RESET_REQUESTED: _l("Link für ein neues Passwort geschickt"),
    SecurityEventKind.PASSWORD_RESET_REFUSED: _l(
        "Neues Passwort zu oft angefordert (keine Nachricht geschickt)"
    ),
    SecurityEventKind.PASSWORD_CHECK_FAILED: _l("Passwort ändern: bisheriges Passwort falsch"),
    SecurityEventKind.PASSWORD_CHECK_REFUSED: _l("Passwort ändern abgewiesen: zu viele Versuche"),
    SecurityEventKind.SECOND_FACTOR_SUCCEEDED: _l("Zweiter Faktor bestätigt"),
    SecurityEventKind.SECOND_FACTOR_FAILED: _l("Zweiter Faktor: Code oder Passkey falsch"),
    SecurityEventKind.SECOND_FACTOR_REFUSED: _l("Zweiter Faktor abgewiesen: zu viele Versuche"),
    SecurityEventKind.RECOVERY_CODE_USED: _l("Mit Wiederherstellungscode angemeldet"),
    SecurityEventKind.SECOND_FACTOR_ADDED: _l("Zweiten Faktor eingerichtet"),
    SecurityEventKind.SECOND_FACTOR_REMOVED: _l("Zweiten Faktor entfernt"),
    SecurityEventKind.SECOND_FACTOR_RESET: _l("Zweiter Faktor zurückgesetzt"),
    SecurityEventKind.RECOVERY_CODES_RENEWED: _l("Neue Wiederherstellungscodes erzeugt"),
    SecurityEventKind.REAUTH_SUCCEEDED: _l("Identität erneut bestätigt"),
    SecurityEventKind.REAUTH_FAILED: _l("Erneute Bestätigung fehlgeschlagen"),
    SecurityEventKind.SESSION_ENDED: _l("Anmeldung auf anderem Gerät beendet"),
}
EMAIL_LENGTH = 254
ADDRESS_LENGTH = 45  # the longest textual IPv6 address
USER_AGENT_LENGTH = 200


def record(
    kind: SecurityEventKind,
    email: str | None,
    user: User | None,
    address: str | None,
    user_agent: str | None,
) -> SecurityEvent:
    """Add an event in the current transaction; ``email`` is what was typed, cleaned."""
    event = SecurityEvent(
        event=kind,
        email=_printable(email or "").strip().lower()[:EMAIL_LENGTH],
        user_id=getattr(user, "id", None),
        address=(address or "")[:ADDRESS_LENGTH],
        user_agent=_printable(user_agent or "")[:USER_AGENT_LENGTH],
    )
    db.session.add(event)
    return event


def events_page(email: str, kind: SecurityEventKind | None, page: int, per_page: int) -> Pagination:
    """Events newest first, optionally only those whose e-mail contains ``email``."""
    query = sa.select(SecurityEvent).order_by(
        SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc()
    )
    if email.strip():
        query = query.where(SecurityEvent.email.contains(email.strip().lower(), autoescape=True))
    if kind is not None:
        query = query.where(SecurityEvent.event == kind)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _printable(text: str) -> str:
    return "".join(character for character in text if character.isprintable())
