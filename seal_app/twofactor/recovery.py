"""Recovery codes: ten random codes, shown once, stored as SHA-256, each usable once."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.auth.models import User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.twofactor.models import RecoveryCode

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper without doubt
LENGTH = 16  # about 79 bits


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _normalised(typed: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (typed or "").lower())


def shown(code: str) -> str:
    """A code as shown and printed: four groups of four."""
    return "-".join(code[index : index + 4] for index in range(0, LENGTH, 4))


def new_set(user: User) -> list[str]:
    """Ten new codes for ``user`` (the old set stops working); returns them for showing once."""
    delete_all(user)
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return [shown(code) for code in codes]


def delete_all(user: User) -> None:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def use(user: User, typed: str) -> bool:
    """True (and the code is spent) when ``typed`` is one of the user's unused codes."""
    code = _normalised(typed)
    if len(code) != LENGTH:
        return False
    wanted = _hash(code)
    for stored in unused(user):
        if hmac.compare_digest(stored.code_hash, wanted):
            spent = db.session.execute(
                sa.update(RecoveryCode)
                .where(RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
            )
            return spent.rowcount == 1  # two requests at once: only one spends it
    return False


def unused(user: User) -> list[RecoveryCode]:
    query = sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return list(db.session.scalars(query))


def as_text(codes: list[str], email: str) -> str:
    """The .txt download."""
    lines = [
        _("Gütesiegel „Sicherheit macht Schule“ – Wiederherstellungscodes"),
        _("Konto: %(email)s", email=email),
        _("Jeder Code gilt genau einmal. Bewahren Sie diese Liste sicher auf."),
        "",
        *codes,
        "",
    ]
    return "\n".join(lines)
