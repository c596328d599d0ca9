"""All evidence of an application as one ZIP archive: a folder per criterion, one for the
votes' documents, and ``Inhalt.txt`` listing every file with its size and SHA-256.

The archive is a document for reading outside the app, so it is German whatever the reader's
language (like the PDFs). The evidence files are stored as they are (PDF, images and office
files are compressed already); ``Inhalt.txt`` is UTF-8 with a byte order mark and CRLF line
ends, so that Windows editors show the umlauts. Names are made safe by ``safe_names``.
Files are copied in chunks into a file on disk: never the whole archive in memory.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import force_locale

from seal_app.applications.models import Application, EvidenceFile
from seal_app.applications.safe_names import Folder, safe_name
from seal_app.catalogue import services as catalogue_services
from seal_app.local_time import local_zone
from seal_app.uploads import store
from seal_app.uploads.checks import download_name
from seal_app.zip_files import MEMBER_MODE, ascii_name

CHUNK = 1024 * 1024
INDEX_NAME = "Inhalt.txt"
VOTES_FOLDER = "Voten und Zustimmungen"
FOLDER_TITLE_LENGTH = 40
MISSING = "fehlt im Speicher"


@dataclass(frozen=True)
class Member:
    """One evidence file and where it goes in the archive."""

    file_id: int
    path: str  # folder/name inside the archive
    label: str  # the criterion (or vote) it belongs to, for Inhalt.txt


def files_of(application: Application) -> list[EvidenceFile]:
    """The files that belong to the application (not those kept for an unsaved form)."""
    return [file for file in application.files if not file.staged]


def totals(application: Application) -> tuple[int, int]:
    """(number of files, their bytes together)."""
    files = files_of(application)
    return len(files), sum(file.size for file in files)


def streams_directly(application: Application) -> bool:
    """Small enough to be made during the request; larger ones go to the task queue."""
    count, size = totals(application)
    config = current_app.config
    return (
        count <= config["EVIDENCE_ZIP_DIRECT_MAX_FILES"]
        and size <= config["EVIDENCE_ZIP_DIRECT_MAX_BYTES"]
    )


def plan(application: Application) -> list[Member]:
    """Every file's place: criteria in catalogue order, then the votes' documents."""
    catalogue = catalogue_services.from_record(application.round.catalogue)
    order = {criterion.code: index for index, criterion in enumerate(catalogue.criteria)}
    files = sorted(
        files_of(application),
        key=lambda file: (
            file.criterion_code is None,
            order.get(file.criterion_code or "", len(order)),
            file.criterion_code or "",
            file.uploaded_at,
            file.id,
        ),
    )
    vote_of = {vote.document_id: vote.kind.label for vote in application.votes}
    folders: dict[str, Folder] = {}
    members = []
    with force_locale("de"):
        for file in files:
            if file.criterion_code is None:
                folder_name = VOTES_FOLDER
                label = f"Votum: {vote_of[file.id]}" if file.id in vote_of else VOTES_FOLDER
            else:
                criterion = catalogue.criterion(file.criterion_code)
                title = criterion.title if criterion else ""
                folder_name = _criterion_folder(file.criterion_code, title)
                label = f"{file.criterion_code} {title}".strip()
            folder = folders.setdefault(folder_name, Folder())
            name = folder.add(download_name(file.display_name, file.media_type))
            members.append(Member(file.id, f"{folder_name}/{name}", label))
    return members


def _criterion_folder(code: str, title: str) -> str:
    """„B.2 Krisenteam“: the code and the title cut at a word near 40 characters."""
    short = title
    if len(short) > FOLDER_TITLE_LENGTH:
        short = short[:FOLDER_TITLE_LENGTH].rsplit(" ", 1)[0]
    return safe_name(f"{code} {short}".strip(), limit=60)


def write(
    application: Application,
    target: BinaryIO,
    advance: Callable[[int], None] | None = None,
) -> None:
    """Write the archive to ``target`` (a file open for writing); ``advance`` is told the
    number of files done after each file."""
    members = plan(application)
    files = {file.id: file for file in files_of(application)}
    lines = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for count, member in enumerate(members, start=1):
            file = files[member.file_id]
            size, digest = _add_file(archive, member.path, file)
            lines.append(
                (
                    member.label,
                    member.path if size is not None else "",
                    file.display_name,
                    str(size) if size is not None else MISSING,
                    digest or "",
                )
            )
            if advance is not None:
                advance(count)
        now = datetime.now(local_zone())
        with _add(archive, INDEX_NAME, zipfile.ZIP_DEFLATED, now) as writing:
            writing.write(index_text(application, lines).encode("utf-8-sig"))


def _add_file(
    archive: zipfile.ZipFile, path: str, file: EvidenceFile
) -> tuple[int | None, str | None]:
    """Copy one stored file in; its size and SHA-256 (the stored hash, or computed while
    copying for a record without one). A stored file that is gone is left out: (None, None)."""
    source = store.path_of(file.stored_name)
    if not source.is_file():
        current_app.logger.warning("evidence file %s missing from the store", file.id)
        return None, None
    digest = None if file.sha256 else hashlib.sha256()
    size = 0
    when = file.uploaded_at.astimezone(local_zone())
    with source.open("rb") as reading, _add(archive, path, zipfile.ZIP_STORED, when) as writing:
        while chunk := reading.read(CHUNK):
            size += len(chunk)
            if digest is not None:
                digest.update(chunk)
            writing.write(chunk)
    return size, file.sha256 or digest.hexdigest()


def _add(archive: zipfile.ZipFile, path: str, compression: int, when: datetime):
    """A member open for writing, readable by everyone who unpacks; ``zipfile`` marks a name
    that is not ASCII as UTF-8 (flag bit 11), which every current unpacker honours."""
    member = zipfile.ZipInfo(path, date_time=when.timetuple()[:6])
    member.compress_type = compression
    member.external_attr = MEMBER_MODE << 16
    return archive.open(member, "w", force_zip64=True)


def index_text(application: Application, lines: list[tuple[str, ...]]) -> str:
    """Inhalt.txt: a heading, then one tab-separated line per file (CRLF line ends)."""
    school = application.school
    made = datetime.now(local_zone()).strftime("%d.%m.%Y %H:%M")
    rows = [
        f"Nachweise des Antrags von {school.name} (Schulnummer {school.school_number}), "
        f"{application.round.title}",
        f"Zusammengestellt am {made}. Dateien, die im Speicher fehlen, sind aufgeführt, "
        "aber nicht enthalten.",
        "",
        "\t".join(("Kriterium", "Datei im ZIP-Archiv", "Originalname", "Größe (Bytes)", "SHA-256")),
        *("\t".join(_one_line(value) for value in line) for line in lines),
    ]
    return "\r\n".join(rows) + "\r\n"


def _one_line(value: str) -> str:
    """A value without tabs or line breaks, so that every file stays one line."""
    return " ".join(value.split())


def archive_name(application: Application) -> str:
    """``Nachweise-2027-75001-Grundschule-am-Wall.zip``: readable in any ZIP program."""
    school = application.school
    return (
        f"Nachweise-{application.round.year}-{school.school_number}-{ascii_name(school.name)}.zip"
    )
