"""What an uploaded file really is, decided by its content, and whether it is safe to keep.

Accepted: PDF (without scripts, actions that run by themselves, rich media or embedded files),
JPEG, PNG, ODT and DOCX text documents (without macros, and unpacking to a realistic size).
Files that are two things at once (polyglots), carry web page markup, or have data appended
after the image end are refused.
"""

from __future__ import annotations

import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from seal_app.formatting import file_size

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", ODT: "ODT", DOCX: "DOCX"}

MAX_NAME_LENGTH = 200
MARKUP_SIGNS = (b"<html", b"<script", b"<!doctype", b"<svg", b"<?php", b"<iframe", b"<body")
ZIP_SIGNS = (b"PK\x03\x04", b"PK\x05\x06")
# Keys that carry scripts or rich media wherever they appear (/JavaScript: the name tree).
PDF_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/RichMedia", "/RichMediaContent"})
PDF_ACTIVE_VALUES = frozenset({"/JavaScript", "/Launch"})  # action types refused anywhere
# Action types refused when they run by themselves (opening the file, page or field events).
PDF_AUTOMATIC_ACTIONS = PDF_ACTIVE_VALUES | {"/SubmitForm", "/ImportData", "/GoToE", "/GoToR"}
PDF_AUTOMATIC_KEYS = frozenset({"/OpenAction", "/AA"})
PDF_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EmbeddedFile", "/EF"})
PDF_EMBEDDED_VALUES = frozenset({"/EmbeddedFile", "/FileAttachment"})
PDF_MAX_DEPTH = 100
PDF_MAX_CONTAINERS = 250_000  # dictionaries and arrays looked at in one file
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an office document's members, unpacked, in total
MAX_RATIO = 100  # unpacked : packed, for members above RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
OFFICE_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class UploadRejectedError(Exception):
    """The file was refused; the message tells the user why, in their language."""


def display_name(raw: str | None) -> str:
    """The original name, kept only as text to show; refuse names that try path tricks."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        raise UploadRejectedError(_("Die Datei hat keinen Namen."))
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRejectedError(
            _("Der Dateiname ist zu lang (höchstens %(max)d Zeichen).", max=MAX_NAME_LENGTH)
        )
    forbidden = "/" in name or "\\" in name or name in (".", "..")
    if forbidden or any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise UploadRejectedError(
            _(
                "Der Dateiname ist nicht zulässig. Bitte benennen Sie die Datei um, ohne "
                "Schrägstriche und Sonderzeichen."
            )
        )
    return name


def media_type_of(path: Path) -> str:
    """The verified media type of the file at ``path``, or UploadRejectedError."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = _kind_by_signature(head)
    if kind is None:
        raise UploadRejectedError(
            _(
                "Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, JPEG, PNG, ODT und DOCX; "
                "entscheidend ist der Inhalt der Datei, nicht ihre Endung."
            )
        )
    if any(sign in head.lower() for sign in MARKUP_SIGNS):
        raise UploadRejectedError(
            _("Die Datei enthält Bestandteile einer Webseite und wird deshalb nicht angenommen.")
        )
    return VERIFIERS[kind](path)


def _kind_by_signature(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _damaged(kind: str) -> UploadRejectedError:
    return UploadRejectedError(
        _("Die Datei ist beschädigt oder kein gültiges %(kind)s.", kind=kind)
    )


def _tail(path: Path, size: int = 65536) -> bytes:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read()


def _refuse_second_format(path: Path) -> None:
    if any(sign in _tail(path) for sign in ZIP_SIGNS):
        raise UploadRejectedError(
            _("Die Datei enthält ein angehängtes Archiv und wird deshalb nicht angenommen.")
        )


def _verify_pdf(path: Path) -> str:
    _refuse_second_format(path)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise UploadRejectedError(
                _(
                    "Verschlüsselte PDF-Dateien können wir nicht annehmen. Bitte speichern Sie "
                    "die Datei ohne Kennwort."
                )
            )
        if len(reader.pages) < 1:
            raise _damaged("PDF")
        _refuse_pdf_content(_pdf_active_content(reader))
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise _damaged("PDF") from error
    return PDF


def _refuse_pdf_content(finding: str | None) -> None:
    if finding == EMBEDDED:
        raise UploadRejectedError(
            _(
                "Die PDF-Datei enthält eingebettete Dateien oder Anhänge. Bitte speichern Sie "
                "sie ohne Anhänge, z. B. über „Drucken als PDF“, und laden Sie Anhänge "
                "einzeln hoch."
            )
        )
    if finding == ACTIVE:
        raise UploadRejectedError(
            _(
                "Die PDF-Datei enthält JavaScript oder startet Programme. Bitte speichern "
                "Sie sie ohne aktive Inhalte, z. B. über „Drucken als PDF“."
            )
        )
    if finding == TOO_COMPLEX:
        raise UploadRejectedError(
            _(
                "Die PDF-Datei ist zu verschachtelt, um sie sicher zu prüfen. Bitte speichern "
                "Sie sie neu, z. B. über „Drucken als PDF“."
            )
        )


ACTIVE, EMBEDDED, TOO_COMPLEX = "active", "embedded", "too complex"


class _PdfTooComplexError(Exception):
    """The file nests deeper or holds more than the check looks at."""


def _pdf_active_content(reader: PdfReader) -> str | None:
    """ACTIVE, EMBEDDED, TOO_COMPLEX or None, after walking every dictionary and array
    reachable from the trailer and from each object of the file (object streams included)."""
    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    walk = _PdfWalk()
    try:
        for root in [reader.trailer, *(IndirectObject(n, g, reader) for n, g in sorted(numbers))]:
            if finding := walk.visit(root):
                return finding
    except _PdfTooComplexError:
        return TOO_COMPLEX
    return None


@dataclass
class _PdfWalk:
    """Depth-first walk without recursion; an indirect object is looked at once per context
    (``automatic``: reached through /OpenAction or /AA, so it runs without a click)."""

    seen: set = field(default_factory=set)
    containers: int = 0

    def visit(self, root) -> str | None:
        stack = [(root, 0, False)]
        while stack:
            obj, depth, automatic = stack.pop()
            if isinstance(obj, IndirectObject):
                obj, depth = self._resolve(obj, automatic), 0
            if not isinstance(obj, DictionaryObject | ArrayObject):
                continue
            self.containers += 1
            if depth > PDF_MAX_DEPTH or self.containers > PDF_MAX_CONTAINERS:
                raise _PdfTooComplexError
            if isinstance(obj, ArrayObject):
                stack.extend((item, depth + 1, automatic) for item in obj)
                continue
            if finding := _dictionary_finding(obj, automatic):
                return finding
            stack.extend(
                (value, depth + 1, automatic or key in PDF_AUTOMATIC_KEYS)
                for key, value in obj.items()
            )
        return None

    def _resolve(self, reference: IndirectObject, automatic: bool):
        key = (reference.idnum, reference.generation, automatic)
        if key in self.seen:
            return None
        self.seen.add(key)
        try:
            return reference.get_object()
        except Exception:  # a broken object: pypdf skips it, and so can we
            return None


def _name(obj: DictionaryObject, key: str):
    try:
        return obj.get(key).get_object() if key in obj else None
    except Exception:
        return None


def _dictionary_finding(obj: DictionaryObject, automatic: bool) -> str | None:
    keys = set(obj.keys())
    kind, subtype, action = _name(obj, "/Type"), _name(obj, "/Subtype"), _name(obj, "/S")
    if keys & PDF_EMBEDDED_KEYS or kind in PDF_EMBEDDED_VALUES or subtype in PDF_EMBEDDED_VALUES:
        return EMBEDDED
    if keys & PDF_ACTIVE_KEYS or action in PDF_ACTIVE_VALUES or subtype == "/RichMedia":
        return ACTIVE
    if automatic and action in PDF_AUTOMATIC_ACTIONS:
        return ACTIVE
    return None


def _verify_image(path: Path, kind: str, label: str, end_marker: bytes) -> str:
    _refuse_second_format(path)
    try:
        with Image.open(path) as image:
            if Image.MIME.get(image.format) != kind:
                raise _damaged(label)
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise _damaged(label) from error
    if not _tail(path, 4096).rstrip(b"\x00").endswith(end_marker):
        raise UploadRejectedError(
            _("Hinter dem Bild stehen noch weitere Daten; die Datei wird deshalb nicht angenommen.")
        )
    return kind


def _verify_office(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_bomb(archive.infolist())
            names = set(archive.namelist())
            if any(
                name.lower().endswith("vbaproject.bin") or name.startswith(("Basic/", "Scripts/"))
                for name in names
            ):
                raise UploadRejectedError(
                    _("Das Dokument enthält Makros. Bitte speichern Sie es ohne Makros.")
                )
            kind = _office_kind(archive, names)
            if kind is not None:
                _read_every_member(archive)
                return kind
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as error:
        raise _damaged("ODT/DOCX") from error
    raise UploadRejectedError(
        _("Von Archiven und Office-Dateien nehmen wir nur Textdokumente (ODT, DOCX) an.")
    )


def _office_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            if member.read(200).strip() == ODT.encode():
                return ODT
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    return None


def _refuse_bomb(members: list[zipfile.ZipInfo]) -> None:
    """Refuse archives that would unpack to far more than a text document ever needs."""
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise UploadRejectedError(
            _(
                "Das Dokument wäre entpackt größer als %(limit)s und wird deshalb nicht "
                "angenommen. Bitte verkleinern Sie enthaltene Bilder oder speichern Sie es "
                "als PDF.",
                limit=file_size(MAX_UNPACKED_BYTES),
            )
        )
    if any(
        info.file_size > RATIO_FROM_BYTES
        and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in members
    ):
        raise UploadRejectedError(
            _(
                "Das Dokument ist ungewöhnlich stark gepackt (mehr als %(ratio)d : 1) und wird "
                "deshalb nicht angenommen. Bitte speichern Sie es neu oder als PDF.",
                ratio=MAX_RATIO,
            )
        )


def _read_every_member(archive: zipfile.ZipFile) -> None:
    """Unpack each member once, bounded by its stated size: a member whose content does not
    match its stated size or checksum fails here (BadZipFile) instead of in a reader's hands."""
    for info in archive.infolist():
        if info.compress_type not in OFFICE_COMPRESSIONS or info.flag_bits & 0x1:
            raise _damaged("ODT/DOCX")
        with archive.open(info) as member:
            while member.read(1024 * 1024):
                pass


VERIFIERS = {
    PDF: _verify_pdf,
    JPEG: lambda path: _verify_image(path, JPEG, "JPEG", b"\xff\xd9"),
    PNG: lambda path: _verify_image(path, PNG, "PNG", b"IEND\xaeB`\x82"),
    "zip": _verify_office,
}
