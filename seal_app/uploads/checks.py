"""What an uploaded file really is, decided by its content, and whether it is safe to keep.

Accepted: PDF (without scripts, XFA forms, 3D content, actions that run by themselves other
than going to a page, rich media or embedded files, and with every object readable), JPEG,
PNG, ODT and DOCX text documents (without macros, embedded programs or content fetched from
elsewhere, and unpacking to a realistic size). Files that are two things at once (polyglots),
carry web page markup, or have data appended after the image end are refused.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from seal_app.uploads.office_checks import DOCX, ODT, verify_office
from seal_app.uploads.pdf_checks import PDF, verify_pdf
from seal_app.uploads.rejection import (
    MARKUP_SIGNS,
    UploadRejectedError,
    damaged,
    refuse_markup_anywhere,
    refuse_second_format,
    tail,
)

__all__ = ["UploadRejectedError", "display_name", "download_name", "media_type_of"]

JPEG, PNG = "image/jpeg", "image/png"
ALLOWED_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", ODT: "ODT", DOCX: "DOCX"}
MAX_NAME_LENGTH = 200
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg", ".jpe"),
    PNG: (".png",),
    ODT: (".odt",),
    DOCX: (".docx",),
}


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


def download_name(name: str, media_type: str) -> str:
    """The name a file is saved under: its extension always matches the verified type, so a
    PNG uploaded as "bild.html" is saved as "bild.html.png" and opens as a picture."""
    extensions = EXTENSIONS.get(media_type, (".bin",))
    if name.lower().endswith(extensions):
        return name
    return name + extensions[0]


def media_type_of(path: Path) -> str:
    """The verified media type of the file at ``path``, or UploadRejectedError."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = kind_by_signature(head)
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


def kind_by_signature(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _verify_image(path: Path, kind: str, label: str, end_marker: bytes) -> str:
    refuse_second_format(path)
    refuse_markup_anywhere(path)
    try:
        with Image.open(path) as image:
            if Image.MIME.get(image.format) != kind:
                raise damaged(label)
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise damaged(label) from error
    if not tail(path, 4096).rstrip(b"\x00").endswith(end_marker):
        raise UploadRejectedError(
            _("Hinter dem Bild stehen noch weitere Daten; die Datei wird deshalb nicht angenommen.")
        )
    return kind


VERIFIERS = {
    PDF: verify_pdf,
    JPEG: lambda path: _verify_image(path, JPEG, "JPEG", b"\xff\xd9"),
    PNG: lambda path: _verify_image(path, PNG, "PNG", b"IEND\xaeB`\x82"),
    "zip": verify_office,
}
