"""„Angemeldete Geräte“: a user's open logins, named by browser, system and network.

The browser and system are read from the user agent with a few patterns (no library, nothing
looked up); the place is only the network stored at login (IPv4 /24, IPv6 /48): no
geolocation service, nothing from the internet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from seal_app.auth.models import UserSession

# the first that matches names the browser (Edge and Opera also say Chrome, Chrome says Safari)
BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Chromium", r"Chromium/"),
    ("Safari", r"Safari/"),
)
SYSTEMS = (
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("ChromeOS", r"CrOS"),
    ("macOS", r"Macintosh|Mac OS X"),
    ("Linux", r"Linux|X11"),
)


@dataclass(frozen=True)
class Device:
    id: int
    browser: str
    system: str
    network: str
    started_at: datetime
    last_seen_at: datetime
    current: bool


def _first(patterns: tuple[tuple[str, str], ...], user_agent: str) -> str | None:
    return next((name for name, pattern in patterns if re.search(pattern, user_agent)), None)


def describe(user_agent: str) -> tuple[str, str]:
    """Browser and system, in words („Firefox“, „Windows“); unknown ones said so."""
    browser = _first(BROWSERS, user_agent) or _("Unbekannter Browser")
    system = _first(SYSTEMS, user_agent) or _("unbekanntes System")
    return browser, system


def devices(sessions: list[UserSession], current_id: int | None) -> list[Device]:
    """The open sessions as devices, this one first."""
    found = []
    for item in sessions:
        browser, system = describe(item.user_agent or "")
        found.append(
            Device(
                id=item.id,
                browser=browser,
                system=system,
                network=item.network or _("unbekannt"),
                started_at=item.created_at,
                last_seen_at=item.last_seen_at,
                current=item.id == current_id,
            )
        )
    return sorted(found, key=lambda device: not device.current)
