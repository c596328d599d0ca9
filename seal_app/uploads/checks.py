"""What an uploaded file really is, decided by its content, and whether it is safe to keep.

Accepted: PDF (without JavaScript or launch actions), JPEG, PNG, ODT and DOCX text documents
(without macros). Files that are two things at once (polyglots), carry web page markup, or
have data appended after the image end are refused.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject, IndirectObject

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", ODT: "ODT", DOCX: "DOCX"}

MAX_NAME_LENGTH = 200
MARKUP_SIGNS = (b"<html", b"<script", b"<!doctype", b"<svg", b"<?php", b"<iframe", b"<body")
ZIP_SIGNS = (b"PK\x03\x04", b"PK\x05\x06")
PDF_ACTIVE_KEYS = ("/JS", "/JavaScript", "/Launch", "/RichMedia")
MAX_UNPACKED_BYTES = 500 * 1024 * 1024


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
        if _pdf_has_active_content(reader):
            raise UploadRejectedError(
                _(
                    "Die PDF-Datei enthält JavaScript oder startet Programme. Bitte speichern "
                    "Sie sie ohne aktive Inhalte, z. B. über „Drucken als PDF“."
                )
            )
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise _damaged("PDF") from error
    return PDF


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Look at every object in the file, including those packed into object streams."""
    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    for num, gen in numbers:
        try:
            obj = reader.get_object(IndirectObject(num, gen, reader))
        except Exception:  # a broken object: pypdf skips it, and so can we
            continue
        if isinstance(obj, DictionaryObject) and _is_active(obj):
            return True
    return _is_active(reader.trailer["/Root"].get_object())


def _is_active(obj: DictionaryObject) -> bool:
    if any(key in obj for key in PDF_ACTIVE_KEYS):
        return True
    return obj.get("/S") in ("/JavaScript", "/Launch")


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
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _damaged("ODT/DOCX")
            if any(
                name.lower().endswith("vbaproject.bin") or name.startswith(("Basic/", "Scripts/"))
                for name in names
            ):
                raise UploadRejectedError(
                    _("Das Dokument enthält Makros. Bitte speichern Sie es ohne Makros.")
                )
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except zipfile.BadZipFile as error:
        raise _damaged("ODT/DOCX") from error
    raise UploadRejectedError(
        _("Von Archiven und Office-Dateien nehmen wir nur Textdokumente (ODT, DOCX) an.")
    )


VERIFIERS = {
    PDF: _verify_pdf,
    JPEG: lambda path: _verify_image(path, JPEG, "JPEG", b"\xff\xd9"),
    PNG: lambda path: _verify_image(path, PNG, "PNG", b"IEND\xaeB`\x82"),
    "zip": _verify_office,
}
