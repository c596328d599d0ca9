"""The one store for uploaded files: random names under the instance folder, never static.

Files written while handling a request are removed again if the request's transaction does
not commit, so a failed upload leaves neither a file nor a row behind.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from seal_app.formatting import file_size
from seal_app.uploads.checks import UploadRejectedError, display_name, media_type_of

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    display_name: str
    media_type: str
    size: int
    sha256: str


def root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(stored_name: str) -> Path:
    if len(stored_name) != 32 or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored name")
    return root() / stored_name[:2] / stored_name


@dataclass
class UploadBatch:
    """Files of one request: kept when the block ends normally, removed when it raises."""

    written: list[str] = field(default_factory=list)
    to_delete: list[str] = field(default_factory=list)

    def __enter__(self) -> UploadBatch:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        for name in self.written if exc_type else self.to_delete:
            path_of(name).unlink(missing_ok=True)

    def save(self, upload: FileStorage, max_bytes: int) -> StoredFile:
        """Check and store one upload; raises UploadRejectedError and keeps nothing."""
        name = display_name(upload.filename)
        temporary = root() / f".upload-{secrets.token_hex(8)}"
        try:
            size, digest = _write(upload, temporary, max_bytes)
            if size == 0:
                raise UploadRejectedError(_("Die Datei ist leer."))
            media_type = media_type_of(temporary)
            stored_name = secrets.token_hex(16)
            target = path_of(stored_name)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        self.written.append(stored_name)
        return StoredFile(stored_name, name, media_type, size, digest)

    def save_generated(self, data: bytes, name: str, media_type: str) -> StoredFile:
        """Store a document the app made itself (a receipt); removed again if the block fails."""
        stored_name = secrets.token_hex(16)
        target = path_of(stored_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = root() / f".generated-{secrets.token_hex(8)}"
        try:
            temporary.write_bytes(data)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        self.written.append(stored_name)
        digest = hashlib.sha256(data).hexdigest()
        return StoredFile(stored_name, name, media_type, len(data), digest)

    def copy(self, stored_name: str) -> str:
        """A second stored file with the same content (for a renewal's carried-over files)."""
        new_name = secrets.token_hex(16)
        target = path_of(new_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path_of(stored_name), target)
        except OSError:
            target.write_bytes(path_of(stored_name).read_bytes())
        self.written.append(new_name)
        return new_name

    def delete_on_success(self, stored_name: str) -> None:
        self.to_delete.append(stored_name)


def _write(upload: FileStorage, target: Path, max_bytes: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        while chunk := upload.stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise UploadRejectedError(
                    _(
                        "Die Datei ist zu groß: höchstens %(size)s je Datei.",
                        size=file_size(max_bytes),
                    )
                )
            digest.update(chunk)
            handle.write(chunk)
    return size, digest.hexdigest()
