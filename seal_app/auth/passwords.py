"""Password hashing (Argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

# zxcvbn refuses more than 72 characters (and is slow on long inputs): a longer passphrase is
# judged by its beginning, which must be strong on its own; the rest only adds to it.
ZXCVBN_MAX_INPUT = 72
PASSWORD_MAX_LENGTH = 1024  # longer is no passphrase but a pasted file


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536))


@cache
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    return _hasher(time_cost, memory_cost).hash("not-a-real-password")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; without a hash, spend the same time and say no (no enumeration)."""
    ph = hasher()
    candidate = password_hash or _dummy_hash(ph.time_cost, ph.memory_cost)
    try:
        return ph.verify(candidate, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


def password_problems(password: str, personal_words: list[str]) -> list[str]:
    """German reasons why ``password`` is not acceptable; empty when it is fine."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return [_("Das Passwort muss mindestens %(count)d Zeichen lang sein.", count=minimum)]
    if len(password) > PASSWORD_MAX_LENGTH:
        return [
            _(
                "Das Passwort darf höchstens %(count)d Zeichen lang sein.",
                count=PASSWORD_MAX_LENGTH,
            )
        ]
    words = [word for word in personal_words if word]
    lowered = password.casefold()
    if any(len(word) >= 4 and word.casefold() in lowered for word in words):
        return [_("Das Passwort darf Ihren Namen oder Ihre E-Mail-Adresse nicht enthalten.")]
    strength = zxcvbn(password[:ZXCVBN_MAX_INPUT], user_inputs=words)["score"]
    if strength < current_app.config["PASSWORD_MIN_STRENGTH"]:
        return [
            _(
                "Dieses Passwort ist zu leicht zu erraten, zum Beispiel weil es häufig "
                "verwendet wird oder Ihren Namen enthält. Wählen Sie ein längeres Passwort, "
                "etwa aus mehreren Wörtern."
            )
        ]
    return []
