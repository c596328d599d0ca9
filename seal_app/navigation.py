"""The main navigation for the current user's role."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from seal_app.auth.models import Role

PUBLIC = [
    ("main.home", _l("Start")),
    ("catalogue.current", _l("Kriterienkatalog")),
    ("auth.login", _l("Anmelden")),
    ("accounts.register", _l("Zugang beantragen")),
]
HALFWAY = PUBLIC[:2]  # password given, factor not yet: the page itself offers to cancel
STAFF = [
    ("main.home", _l("Start")),
    ("catalogue.current", _l("Kriterienkatalog")),
    ("twofactor.account", _l("Anmeldung und Sicherheit")),
]
OFFICE = [
    ("main.home", _l("Übersicht")),
    ("dashboard.index", _l("Kennzahlen")),
    ("office_applications.office_index", _l("Anträge")),
    ("schools.index", _l("Schulen")),
    ("accounts.users", _l("Benutzer")),
    ("accounts.access_requests", _l("Zugangsanfragen")),
    ("rounds.index", _l("Vergaberunden")),
    ("catalogue_versions.index", _l("Katalogfassungen")),
    ("audit.index", _l("Protokoll")),
    ("auth.security_log_index", _l("Sicherheitsprotokoll")),
    ("notifications.outbox", _l("Postausgang")),
    ("catalogue.current", _l("Kriterienkatalog")),
    ("twofactor.account", _l("Anmeldung und Sicherheit")),
]


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return HALFWAY if getattr(current_user, "second_factor_pending", False) else PUBLIC
    return OFFICE if current_user.role is Role.OFFICE else STAFF


def register(app: Flask) -> None:
    app.jinja_env.globals["navigation"] = navigation
