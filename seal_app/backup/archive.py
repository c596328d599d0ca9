"""Writing a backup archive (tar, gzip) and restoring one after checking every member.

Layout of the archive::

    database/seal_app.sqlite | database/seal_app.pgdump   the database copy
    files/ab/ab12…                                        every stored file, as in UPLOAD_DIR
    manifest.json                                         SHA-256 and size of every member

Nothing is written to the target before the whole archive has been checked. The manifest is
read first (a pass that writes nothing), so that no member larger than the manifest declares,
nor an archive that would unpack to more than ``RESTORE_MAX_BYTES``, is written at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from seal_app.backup import databases
from seal_app.backup.databases import BackupError
from seal_app.backup.stored_files import StoredReference, files_in
from seal_app.formatting import file_size
from seal_app.uploads import store

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {
    databases.SQLITE: "database/seal_app.sqlite",
    databases.POSTGRESQL: "database/seal_app.pgdump",
}
FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/\1[0-9a-f]{30}")
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024  # a manifest names each stored file in a line or two


@dataclass
class BackupSummary:
    kind: str
    files: int
    archive_size: int
    problems: list[str] = field(default_factory=list)  # missing or altered stored files


class _HashingReader:
    """Reads a file for the archive, hashing exactly the bytes that go into it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, member: str) -> dict:
    info = tarfile.TarInfo(member)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def write_backup(out: Path) -> BackupSummary:
    """Write the archive to ``out`` (through ``out.part``, renamed at the very end)."""
    part = out.with_name(out.name + ".part")
    try:
        with tempfile.TemporaryDirectory(prefix="seal-backup-") as work:
            copy = databases.copy_database(Path(work) / "database")
            summary = _write_archive(part, copy)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    summary.archive_size = out.stat().st_size
    return summary


def _write_archive(part: Path, copy: databases.DatabaseCopy) -> BackupSummary:
    summary = BackupSummary(copy.kind, 0, 0)
    members: dict[str, dict] = {}
    files: list[dict] = []
    with tarfile.open(part, "w:gz") as archive:
        database_member = DATABASE_MEMBERS[copy.kind]
        members[database_member] = _add(archive, copy.path, database_member)
        for reference in _unique(copy.references):
            problem = _add_stored_file(archive, reference, members)
            if problem:
                summary.problems.append(problem)
            files.append(
                {"table": reference.table, "id": reference.row_id, "name": reference.stored_name}
            )
        summary.files = len([name for name in members if name.startswith("files/")])
        manifest = {
            "format": FORMAT,
            "app": "seal_app",
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "kind": copy.kind,
                "member": database_member,
                "alembic_revision": copy.alembic_revision,
            },
            "members": members,
            "rows_with_files": files,
            "problems": summary.problems,
        }
        data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(datetime.now(UTC).timestamp())
        info.mode = 0o600
        archive.addfile(info, _BytesReader(data))
    return summary


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def _unique(found: list[StoredReference]) -> list[StoredReference]:
    seen: set[str] = set()
    unique = []
    for reference in found:
        if reference.stored_name not in seen:
            seen.add(reference.stored_name)
            unique.append(reference)
    return unique


def _add_stored_file(
    archive: tarfile.TarFile, reference: StoredReference, members: dict[str, dict]
) -> str | None:
    """Add one stored file; a missing or altered one is named (and an altered one kept)."""
    try:
        path = store.path_of(reference.stored_name)
    except ValueError:
        return _("Ungültiger Dateiname: %(file)s", file=reference.label)
    if not path.is_file():
        return _("Fehlt: %(file)s", file=reference.label)
    member = f"files/{reference.relative_path}"
    members[member] = _add(archive, path, member)
    if members[member]["sha256"] != reference.sha256:
        return _("Verändert (Prüfsumme passt nicht): %(file)s", file=reference.label)
    return None


# --- restoring -----------------------------------------------------------------------------


@dataclass
class RestoreSummary:
    kind: str
    files: int
    alembic_revision: str | None
    created_at: str


def restore(archive_path: Path) -> RestoreSummary:
    """Check the instance is empty and the archive intact, then restore database and files."""
    upload_root = store.root()
    upload_root.mkdir(parents=True, exist_ok=True)
    _require_empty_instance(upload_root)
    with tempfile.TemporaryDirectory(prefix=".seal-restore-", dir=upload_root.parent) as work:
        staging = Path(work)
        manifest = _extract_checked(archive_path, staging)
        copy_kind = manifest["database"]["kind"]
        if copy_kind != databases.kind():
            raise BackupError(
                _(
                    "Das Archiv enthält eine %(archive)s-Datenbank, eingerichtet ist aber "
                    "%(configured)s. Es wurde nichts verändert.",
                    archive=databases.KIND_LABELS.get(copy_kind, copy_kind),
                    configured=databases.KIND_LABELS[databases.kind()],
                )
            )
        member = manifest["database"]["member"]
        try:
            databases.restore_database(copy_kind, staging / member)
        except sqlite3.DatabaseError as error:  # the copy is no SQLite database
            raise _damaged(_("%(name)s ist keine Datenbank", name=member)) from error
        files = _move_files(staging / "files", upload_root)
    return RestoreSummary(
        copy_kind, files, manifest["database"].get("alembic_revision"), manifest["created_at"]
    )


def _require_empty_instance(upload_root: Path) -> None:
    filled = databases.filled_tables()
    if filled:
        raise BackupError(
            _(
                "Die Datenbank ist nicht leer (%(count)s Tabellen enthalten Daten, z. B. "
                "%(tables)s). Wiederherstellen geht nur in eine leere Datenbank; es wurde "
                "nichts verändert.",
                count=len(filled),
                tables=", ".join(filled[:3]),
            )
        )
    present = files_in(upload_root)
    if present:
        raise BackupError(
            _(
                "Der Upload-Ordner %(folder)s ist nicht leer (%(count)s Dateien). "
                "Wiederherstellen geht nur in einen leeren Ordner; es wurde nichts verändert.",
                folder=upload_root,
                count=len(present),
            )
        )


def _damaged(detail: str) -> BackupError:
    return BackupError(
        _(
            "Das Archiv ist beschädigt oder keine Sicherung dieser Anwendung (%(detail)s). "
            "Es wurde nichts verändert.",
            detail=detail,
        )
    )


def _extract_checked(archive_path: Path, staging: Path) -> dict:
    """Read the manifest, check every member's size against it and the cap, then unpack into
    ``staging`` and compare every member's SHA-256 with the manifest."""
    manifest, sizes = _survey(archive_path, int(current_app.config["RESTORE_MAX_BYTES"]))
    expected: dict[str, dict] = manifest["members"]
    for name, recorded in expected.items():
        if name not in sizes:
            raise BackupError(
                _("Im Archiv fehlt die Datei %(file)s. Es wurde nichts verändert.", file=name)
            )
        if sizes[name] > recorded["size"]:
            raise BackupError(
                _(
                    "Die Datei %(file)s im Archiv ist größer als im Manifest angegeben "
                    "(%(size)s statt %(declared)s). Es wurde nichts entpackt und nichts verändert.",
                    file=name,
                    size=file_size(sizes[name]),
                    declared=file_size(recorded["size"]),
                )
            )
    unexpected = sorted(set(sizes) - set(expected) - {MANIFEST})
    if unexpected:
        raise BackupError(
            _(
                "Die Datei %(file)s im Archiv steht nicht im Manifest. Es wurde nichts verändert.",
                file=unexpected[0],
            )
        )
    digests = _unpack(archive_path, staging, expected)
    for name, recorded in expected.items():
        if sizes[name] != recorded["size"] or digests[name] != recorded.get("sha256"):
            raise BackupError(
                _(
                    "Die Datei %(file)s im Archiv ist verändert (Prüfsumme oder Größe passt "
                    "nicht zum Manifest). Es wurde nichts verändert.",
                    file=name,
                )
            )
    return manifest


def _survey(archive_path: Path, limit: int) -> tuple[dict, dict[str, int]]:
    """The manifest and the size of every member, from a first pass that writes nothing: the
    manifest comes last in the archive, and a member's header says its size before its data,
    so a member that would take the unpacked archive over ``limit`` is refused at once."""
    sizes: dict[str, int] = {}
    manifest_data: bytes | None = None
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for info in archive:
                _check_entry(info, sizes)
                sizes[info.name] = info.size
                if sum(sizes.values()) > limit:
                    raise _over_limit(info.name, limit)
                if info.name == MANIFEST and info.size <= MANIFEST_MAX_BYTES:
                    manifest_data = archive.extractfile(info).read()  # a file: checked above
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise _damaged(str(error)) from error
    if manifest_data is None:
        raise _damaged(_("manifest.json fehlt"))
    return _read_manifest(manifest_data), sizes


def _check_entry(info: tarfile.TarInfo, seen: dict[str, int]) -> None:
    name = info.name
    allowed = name == MANIFEST or name in DATABASE_MEMBERS.values() or FILE_MEMBER.fullmatch(name)
    if not allowed or not info.isfile():
        raise _damaged(_("unerwarteter Eintrag %(name)s", name=name))
    if name in seen:
        raise _damaged(_("doppelter Eintrag %(name)s", name=name))


def _over_limit(name: str, limit: int) -> BackupError:
    return BackupError(
        _(
            "Mit der Datei %(file)s wäre das entpackte Archiv größer als %(limit)s, mehr als "
            "erlaubt (Einstellung SEAL_RESTORE_MAX_BYTES). Es wurde nichts entpackt und nichts "
            "verändert.",
            file=name,
            limit=file_size(limit),
        )
    )


def _unpack(archive_path: Path, staging: Path, expected: dict[str, dict]) -> dict[str, str]:
    """The second pass: each member of the manifest into ``staging``, streamed; its SHA-256."""
    digests: dict[str, str] = {}
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for info in archive:
                if info.name != MANIFEST:
                    declared = int(expected[info.name]["size"])
                    digests[info.name] = _extract_member(archive, info, staging, declared)
    except (tarfile.TarError, OSError, EOFError, zlib.error, KeyError) as error:
        raise _damaged(str(error)) from error
    return digests


def _extract_member(
    archive: tarfile.TarFile, info: tarfile.TarInfo, staging: Path, declared: int
) -> str:
    """Stream one member to disk; more bytes than ``declared`` stop it (the archive changed
    between the two passes)."""
    name = info.name
    target = staging / name
    if target.exists():
        raise _damaged(_("doppelter Eintrag %(name)s", name=name))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = archive.extractfile(info)
    if source is None:
        raise _damaged(_("unerwarteter Eintrag %(name)s", name=name))
    digest, size = hashlib.sha256(), 0
    with source, target.open("wb") as handle:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > declared:
                raise _damaged(_("%(name)s ist größer als angegeben", name=name))
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


def _read_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data.decode("utf-8"))
        database = manifest["database"]
        valid = (
            manifest.get("format") == FORMAT
            and database["kind"] in DATABASE_MEMBERS
            and database["member"] == DATABASE_MEMBERS[database["kind"]]
            and isinstance(manifest["members"], dict)
            and database["member"] in manifest["members"]
            and isinstance(manifest.get("created_at"), str)
            and all(
                isinstance(item, dict) and isinstance(item.get("size"), int)
                for item in manifest["members"].values()
            )
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise _damaged(_("manifest.json ist unlesbar")) from error
    if not valid:
        raise _damaged(_("manifest.json ist unvollständig"))
    return manifest


def _move_files(source: Path, upload_root: Path) -> int:
    """Move the checked files into the (empty) upload folder."""
    if not source.is_dir():
        return 0
    names = files_in(source)
    for name in names:
        target = upload_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source / name, target)
    return len(names)
