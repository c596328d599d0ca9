"""The keys that sign credentials: PEM files ``key-<n>.pem`` (P-256, ES256) in the folder
``CREDENTIAL_KEY_DIR`` (default ``instance/credential-keys``), separate from the PDF signing key.

The key with the highest number signs; the older ones stay published in did.json so that
credentials signed with them still verify. ``rotate`` adds the next one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from joserfc.jwk import ECKey

KEY_FILE = re.compile(r"^key-(\d{1,6})\.pem$")
CURVE = "P-256"
ALGORITHM = "ES256"


class CredentialKeyError(RuntimeError):
    """A key file cannot be read; the message names the setting and the file."""


@dataclass(frozen=True)
class SigningKey:
    number: int
    key: ECKey

    @property
    def name(self) -> str:
        """The fragment of the key in the issuer's DID document: ``key-1``."""
        return f"key-{self.number}"


def key_dir(app: Flask | None = None) -> Path:
    return Path((app or current_app).config["CREDENTIAL_KEY_DIR"])


def _files(folder: Path) -> list[tuple[int, Path]]:
    if not folder.is_dir():
        return []
    found = [(KEY_FILE.match(path.name), path) for path in folder.iterdir()]
    return sorted((int(match.group(1)), path) for match, path in found if match)


def _load(number: int, path: Path) -> SigningKey:
    try:
        key = ECKey.import_key(path.read_bytes())
    except Exception as error:  # joserfc and cryptography raise several kinds
        raise CredentialKeyError(
            f"SEAL_CREDENTIAL_KEY_DIR: {path} ist nicht lesbar ({error})"
        ) from error
    if not key.is_private or key.as_dict().get("crv") != CURVE:
        raise CredentialKeyError(
            f"SEAL_CREDENTIAL_KEY_DIR: {path} ist kein privater {CURVE}-Schlüssel"
        )
    return SigningKey(number, key)


def all_keys(app: Flask | None = None) -> list[SigningKey]:
    """Every key in the folder, oldest first (each one is read and checked)."""
    return [_load(number, path) for number, path in _files(key_dir(app))]


def check_configuration(app: Flask) -> None:
    """At start-up: every key file in the folder must load (a missing folder is allowed)."""
    all_keys(app)


def signing_key() -> SigningKey:
    """The newest key; the first one is made if the folder holds none yet."""
    keys = all_keys()
    if keys:
        return keys[-1]
    return _create(key_dir(), 1)


def find(name: str) -> SigningKey | None:
    """The published key with this fragment (``key-2``), if there is one."""
    return next((item for item in all_keys() if item.name == name), None)


def rotate() -> SigningKey:
    """Add the next key; from now on it signs."""
    files = _files(key_dir())
    return _create(key_dir(), (files[-1][0] if files else 0) + 1)


def _create(folder: Path, number: int) -> SigningKey:
    folder.mkdir(parents=True, exist_ok=True)
    key = ECKey.generate_key(CURVE)
    path = folder / f"key-{number}.pem"
    try:  # exclusive: two processes making the first key at once keep one of them
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load(number, path)
    with os.fdopen(handle, "wb") as output:
        output.write(key.as_pem(private=True))
    return SigningKey(number, key)
