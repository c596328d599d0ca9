"""Checking a credential someone brings (pasted, or baked into a picture): signature, issuer
key, validity dates and revocation bit, and what it says. Nothing of it is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from seal_app.credentials import baking, status, tokens
from seal_app.db_types import utcnow
from seal_app.local_time import local_zone

STATUS_URL = re.compile(r"/credentials/status/(\d{1,9})$")


@dataclass(frozen=True)
class Check:
    verdict: str  # valid, expired, not_yet_valid, revoked, signature, unknown_key, unreadable
    message: str
    school: str | None = None
    school_number: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    @property
    def read(self) -> bool:
        """The signature held: what the credential says can be shown."""
        return self.verdict in ("valid", "expired", "not_yet_valid", "revoked")


def _unreadable(message: str) -> Check:
    return Check("unreadable", message)


FILE_PROBLEMS = {
    "not_an_image": lambda: _("Die Datei ist weder ein PNG- noch ein SVG-Bild."),
    "broken_png": lambda: _(
        "Die PNG-Datei ist beschädigt oder wurde verändert: Ihre Prüfsummen stimmen nicht."
    ),
    "broken_svg": lambda: _("Die SVG-Datei lässt sich nicht lesen."),
    "no_credential": lambda: _(
        "In dem Bild steckt kein digitaler Nachweis. Laden Sie das Siegel-Bild herunter, das "
        "die Schule auf ihrer Siegelseite erhält."
    ),
}


def check_file(data: bytes) -> Check:
    try:
        token = baking.credential_in(data)
    except baking.BakingProblem as problem:
        return _unreadable(FILE_PROBLEMS[problem.kind]())
    return check_token(token)


def check_token(token: str) -> Check:
    token = "".join(token.split())
    try:
        _header, claims = tokens.verify(token)
    except tokens.TokenProblem as problem:
        return _problem(problem.kind)
    try:
        return _judge(claims)
    except (KeyError, TypeError, ValueError, AttributeError):
        return _unreadable(
            _("Die Signatur ist gültig, aber der Inhalt ist kein Nachweis dieses Siegels.")
        )


def _problem(kind: str) -> Check:
    if kind == "unknown_key":
        return Check(
            "unknown_key",
            _(
                "Unbekannter Schlüssel: Der Nachweis ist nicht mit einem der Schlüssel "
                "signiert, die der Landkreis für das Siegel veröffentlicht."
            ),
        )
    if kind in ("signature", "algorithm"):
        return Check(
            "signature",
            _(
                "Signatur ungültig: Der Nachweis wurde nach dem Signieren verändert oder ist "
                "nicht (wirksam) signiert."
            ),
        )
    return _unreadable(
        _(
            "Der Text ist kein digitaler Nachweis (VC-JWT). Fügen Sie ihn vollständig ein: drei "
            "Teile, durch Punkte getrennt."
        )
    )


def _day(value: str) -> date:
    return datetime.fromisoformat(value).astimezone(local_zone()).date()


def _judge(claims: dict) -> Check:
    if "OpenBadgeCredential" not in claims["type"]:
        raise ValueError("not an Open Badge")
    identifiers = {
        item["identityType"]: item["identityHash"]
        for item in claims["credentialSubject"]["identifier"]
    }
    start, end = datetime.fromisoformat(claims["validFrom"]), None
    if claims.get("validUntil"):
        end = datetime.fromisoformat(claims["validUntil"])
    found = {
        "school": identifiers.get("name"),
        "school_number": identifiers.get("identifier"),
        "valid_from": _day(claims["validFrom"]),
        "valid_until": _day(claims["validUntil"]) if end else None,
    }
    if _revoked(claims.get("credentialStatus")):
        return Check("revoked", _revoked_message(claims["credentialStatus"]), **found)
    now = utcnow()
    if now < start:
        return Check("not_yet_valid", _("Der Nachweis gilt noch nicht."), **found)
    if end is not None and now > end:
        return Check("expired", _("Der Nachweis ist abgelaufen."), **found)
    return Check("valid", _("Der Nachweis ist gültig."), **found)


def _our_place(entry: dict) -> tuple[int, int] | None:
    """The list id and position when the status entry points into one of our own lists."""
    match = STATUS_URL.search(entry["statusListCredential"])
    if match is None or entry["statusListCredential"] != status.list_url(int(match.group(1))):
        return None
    return int(match.group(1)), int(entry["statusListIndex"])


def _revoked(entry: dict | None) -> bool:
    """The bit in our own status list (a list elsewhere is not ours to vouch for: revoked)."""
    if entry is None:
        return False
    place = _our_place(entry)
    if place is None:
        return True
    bit = status.is_revoked(*place)
    return bit is None or bit


def _revoked_message(entry: dict) -> str:
    """„widerrufen“ with the day, when the credential is one of ours."""
    place = _our_place(entry)
    when = status.revoked_at(*place) if place is not None else None
    if when is None:
        return _("Der Nachweis ist widerrufen.")
    day = format_date(when, "long", rebase=True)
    return _("Der Nachweis ist widerrufen (am %(date)s).", date=day)


VERDICT_LABELS = {
    "valid": _l("gültig"),
    "expired": _l("abgelaufen"),
    "not_yet_valid": _l("noch nicht gültig"),
    "revoked": _l("widerrufen"),
    "signature": _l("Signatur ungültig"),
    "unknown_key": _l("unbekannter Schlüssel"),
    "unreadable": _l("nicht lesbar"),
}
