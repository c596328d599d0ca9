"""What an uploaded file really is, decided by its content, and whether it is safe to keep.

Accepted: PDF (without scripts, XFA forms, 3D content, actions that run by themselves other
than going to a page, rich media or embedded files, and with every object readable), JPEG,
PNG, ODT and DOCX text documents (without macros, embedded programs or content fetched from
elsewhere, and unpacking to a realistic size). Files that are two things at once (polyglots),
carry web page markup, or have data appended after the image end are refused.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

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
ZIP_TAIL_BYTES = 22 + 65_535  # a ZIP end record with the longest possible comment
# Markup anywhere in an image, as a tag (the sign followed by a tag-ending byte), so that
# random bytes of compressed image data practically never match.
MARKUP_TAG = re.compile(rb"<(?:html|script|!doctype|svg|\?php|iframe|body)[\s/>]", re.IGNORECASE)
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg", ".jpe"),
    PNG: (".png",),
    ODT: (".odt",),
    DOCX: (".docx",),
}
# Keys that carry scripts or rich media wherever they appear (/JavaScript: the name tree).
# /3DD, /3DA, /OnInstantiate: 3D content, which carries its own scripts.
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/RichMedia", "/RichMediaContent", "/3DD", "/3DA", "/OnInstantiate"}
)
PDF_ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/3D"})
PDF_ACTIVE_VALUES = frozenset({"/JavaScript", "/Launch"})  # action types refused anywhere
# Action types refused when they run by themselves (opening the file, page or field events).
PDF_AUTOMATIC_ACTIONS = PDF_ACTIVE_VALUES | {"/SubmitForm", "/ImportData", "/GoToE", "/GoToR"}
PDF_SAFE_AUTOMATIC_ACTIONS = frozenset({"/GoTo"})  # every other automatic action is refused
# Name tokens looked for in the raw bytes outside compressed streams ("#xx" escapes decoded),
# with the finding each means (ACTIVE, XFA below).
PDF_RAW_NAMES = {
    b"JavaScript": "active",
    b"JS": "active",
    b"Launch": "active",
    b"RichMedia": "active",
    b"XFA": "xfa",
}
PDF_NAME = re.compile(rb"/((?:[^\x00\t\n\x0c\r /%()<>\[\]{}#]|#[0-9A-Fa-f]{2})+)")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"\bstream(?:\r\n|\n|\r)")
PDF_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EmbeddedFile", "/EF"})
PDF_EMBEDDED_VALUES = frozenset({"/EmbeddedFile", "/FileAttachment"})
PDF_MAX_DEPTH = 100
PDF_MAX_CONTAINERS = 250_000  # dictionaries and arrays looked at in one file
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an office document's members, unpacked, in total
MAX_RATIO = 100  # unpacked : packed, for members above RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
ARCHIVE_RATIO_FROM_BYTES = 10 * 1024 * 1024  # the same ratio for the archive as a whole
OLE_SIGN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: VBA projects, OLE objects
MACRO_MARKS = ("vbaproject", "vbadata", "macroenabled", "keymapcustomizations")
OBJECT_MARKS = ("oleobject", "activex")
ODF_SCRIPT_URLS = ("vnd.sun.star.script:", "macro:", "javascript:")
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


def _tail(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read()


def _refuse_second_format(path: Path) -> None:
    """Refuse a file that ZIP tools would also open as an archive: the same end-record search
    unzip and Python use, and the signatures anywhere the end record can be."""
    tail = _tail(path, ZIP_TAIL_BYTES)
    if zipfile.is_zipfile(path) or any(sign in tail for sign in ZIP_SIGNS):
        raise UploadRejectedError(
            _("Die Datei enthält ein angehängtes Archiv und wird deshalb nicht angenommen.")
        )


def _refuse_markup_anywhere(path: Path) -> None:
    """Look through the whole file in overlapping chunks, not only its beginning."""
    overlap, previous = 16, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if MARKUP_TAG.search(previous[-overlap:] + chunk):
                raise UploadRejectedError(
                    _(
                        "Die Datei enthält Bestandteile einer Webseite und wird deshalb nicht "
                        "angenommen."
                    )
                )
            previous = chunk


def _verify_pdf(path: Path) -> str:
    _refuse_second_format(path)
    try:
        _refuse_pdf_content(_pdf_raw_finding(path.read_bytes()))
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
        _refuse_pdf_content(_pdf_active_content(path))
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
    _refuse_pdf_form_or_action(finding)


def _refuse_pdf_form_or_action(finding: str | None) -> None:
    if finding == DAMAGED:
        raise UploadRejectedError(
            _(
                "Die PDF-Datei ist beschädigt: Teile davon lassen sich nicht lesen und daher "
                "nicht prüfen. Bitte speichern Sie sie neu, z. B. über „Drucken als PDF“."
            )
        )
    if finding == XFA:
        raise UploadRejectedError(
            _(
                "Die PDF-Datei enthält ein XFA-Formular, das wir nicht sicher prüfen können. "
                "Bitte drucken Sie das ausgefüllte Formular als PDF („Drucken als PDF“) und "
                "laden Sie diese Datei hoch."
            )
        )
    if finding == AUTOMATIC:
        raise UploadRejectedError(
            _(
                "Die PDF-Datei führt beim Öffnen selbsttätig Aktionen aus, z. B. öffnet sie "
                "eine Webseite oder spielt Medien ab. Bitte speichern Sie sie ohne solche "
                "Aktionen, z. B. über „Drucken als PDF“."
            )
        )


ACTIVE, EMBEDDED, TOO_COMPLEX = "active", "embedded", "too complex"
XFA, AUTOMATIC, DAMAGED = "xfa", "automatic", "damaged"
ACTION, TRIGGERS = "action", "triggers"  # walk contexts: an action, or /AA's event → action


class _PdfTooComplexError(Exception):
    """The file nests deeper or holds more than the check looks at."""


class _PdfDamagedError(Exception):
    """An object of the file cannot be read as the standard says; viewers that repair it may
    see more than the check did."""


def _pdf_raw_finding(data: bytes) -> str | None:
    """A second net: script and form names in the raw bytes outside compressed streams, for
    objects a viewer finds by repairing the file (scanning for "n 0 obj") but the check never
    reaches through the cross-reference table."""
    for segment in _outside_compressed_streams(data):
        for match in PDF_NAME.finditer(segment):
            name = PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1])
            if finding := PDF_RAW_NAMES.get(name):
                return finding
    return None


def _outside_compressed_streams(data: bytes) -> Iterator[bytes]:
    position = 0
    while match := PDF_STREAM.search(data, position):
        header = data[max(data.rfind(b"obj", position, match.start()), position) : match.start()]
        if not _has_filter(header):
            yield data[position : match.end()]
            position = match.end()
            continue
        end = data.find(b"endstream", match.end())
        yield data[position : match.end()]
        if end < 0:
            return
        position = end
    yield data[position:]


def _has_filter(header: bytes) -> bool:
    return any(
        PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1]) == b"Filter"
        for match in PDF_NAME.finditer(header)
    )


def _pdf_active_content(path: Path) -> str | None:
    """A finding (ACTIVE, EMBEDDED, XFA, ...) or None, after walking every dictionary and array
    reachable from the trailer and from each object of the file (object streams included).

    The file is opened again, tolerant only while finding its objects; each object is then
    read strictly, so an object pypdf would read only in part counts as damaged."""
    reader = PdfReader(path, strict=False)
    reader.strict = True
    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    walk = _PdfWalk(reader)
    try:
        for root in [reader.trailer, *(IndirectObject(n, g, reader) for n, g in sorted(numbers))]:
            if finding := walk.visit(root):
                return finding
    except _PdfTooComplexError:
        return TOO_COMPLEX
    except _PdfDamagedError:
        return DAMAGED
    return None


@dataclass
class _PdfWalk:
    """Depth-first walk without recursion; an indirect object is looked at once per context
    (ACTION: reached as an action from /OpenAction, an /AA event or a /Next, so it runs
    without a click; a destination's page is not an action, so links on it stay clicks)."""

    reader: PdfReader
    seen: set = field(default_factory=set)
    containers: int = 0

    def visit(self, root) -> str | None:
        stack = [(root, 0, None)]
        while stack:
            obj, depth, context = stack.pop()
            if isinstance(obj, IndirectObject):
                obj, depth = self._resolve(obj, context), 0
            if not isinstance(obj, DictionaryObject | ArrayObject):
                continue
            self.containers += 1
            if depth > PDF_MAX_DEPTH or self.containers > PDF_MAX_CONTAINERS:
                raise _PdfTooComplexError
            if isinstance(obj, ArrayObject):
                stack.extend((item, depth + 1, context) for item in obj)
                continue
            if finding := _dictionary_finding(obj, context == ACTION):
                return finding
            stack.extend(
                (value, depth + 1, _child_context(key, context)) for key, value in obj.items()
            )
        return None

    def _resolve(self, reference: IndirectObject, context: str | None):
        key = (reference.idnum, reference.generation, context)
        if key in self.seen:
            return None
        self.seen.add(key)
        try:
            return reference.get_object()
        except Exception as error:
            if not self._defined(reference):
                return None  # a reference to no object at all means null (ISO 32000, 7.3.10)
            raise _PdfDamagedError from error

    def _defined(self, reference: IndirectObject) -> bool:
        number, generation = reference.idnum, reference.generation
        if number in self.reader.xref.get(generation, {}):
            return True
        if generation == 0 and number in self.reader.xref_objStm:
            return True
        pattern = rb"\s%d\s+%d\s+obj" % (number, generation)
        return re.search(pattern, self.reader.stream.getvalue()) is not None


def _child_context(key: str, context: str | None) -> str | None:
    if key == "/OpenAction" or context == TRIGGERS or (context == ACTION and key == "/Next"):
        return ACTION
    return TRIGGERS if key == "/AA" else None


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
    if keys & PDF_ACTIVE_KEYS or action in PDF_ACTIVE_VALUES or subtype in PDF_ACTIVE_SUBTYPES:
        return ACTIVE
    if kind == "/3D":
        return ACTIVE
    if "/XFA" in keys:
        return XFA
    if automatic and action in PDF_AUTOMATIC_ACTIONS:
        return ACTIVE
    if automatic and action is not None and action not in PDF_SAFE_AUTOMATIC_ACTIONS:
        return AUTOMATIC
    return None


def _verify_image(path: Path, kind: str, label: str, end_marker: bytes) -> str:
    _refuse_second_format(path)
    _refuse_markup_anywhere(path)
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


def _macros() -> UploadRejectedError:
    return UploadRejectedError(
        _("Das Dokument enthält Makros. Bitte speichern Sie es ohne Makros.")
    )


def _embedded_objects() -> UploadRejectedError:
    return UploadRejectedError(
        _(
            "Das Dokument enthält eingebettete Objekte oder Steuerelemente (OLE, ActiveX). "
            "Bitte entfernen Sie diese oder speichern Sie das Dokument als PDF, z. B. über "
            "„Drucken als PDF“."
        )
    )


def _external_content() -> UploadRejectedError:
    return UploadRejectedError(
        _(
            "Das Dokument lädt beim Öffnen Inhalte von außerhalb nach, z. B. eine "
            "Dokumentvorlage oder verknüpfte Bilder. Bitte speichern Sie es als PDF, z. B. "
            "über „Drucken als PDF“, und laden Sie das PDF hoch."
        )
    )


def _verify_office(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_bomb(archive.infolist())
            names = set(archive.namelist())
            if len({name.lower() for name in names}) != len(archive.infolist()):
                raise _damaged("ODT/DOCX")  # one name twice: readers disagree which counts
            _refuse_office_names(names)
            kind = _office_kind(archive, names)
            if kind is not None:
                _refuse_office_parts(archive, kind)
                _read_every_member(archive)
                return kind
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,
        NotImplementedError,
        expat.ExpatError,
    ) as error:
        raise _damaged("ODT/DOCX") from error
    raise UploadRejectedError(
        _("Von Archiven und Office-Dateien nehmen wir nur Textdokumente (ODT, DOCX) an.")
    )


def _refuse_office_names(names: set[str]) -> None:
    for name in (name.lower() for name in names):
        if name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/")):
            raise _macros()
        if ("/embeddings/" in name and name.endswith(".bin")) or "/activex/" in f"/{name}":
            raise _embedded_objects()


def _refuse_office_parts(archive: zipfile.ZipFile, kind: str) -> None:
    """Read the parts that declare macros, embedded objects, templates and event scripts
    with an XML parser (character references decoded, no document type declarations)."""
    for info in archive.infolist():
        name = info.filename.lower()
        if name == "[content_types].xml":
            _scan_xml(archive, info, _check_content_type)
        elif name.endswith(".rels"):
            _scan_xml(archive, info, _check_relationship)
        elif kind == ODT and name.rsplit("/", 1)[-1] in ("content.xml", "styles.xml"):
            _scan_xml(archive, info, _check_odf_element)


def _scan_xml(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, check: Callable[[str, dict], None]
) -> None:
    def refuse_declaration(*_args) -> None:
        raise _damaged("ODT/DOCX")

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse_declaration
    parser.EntityDeclHandler = refuse_declaration
    parser.StartElementHandler = lambda tag, attributes: check(
        _local(tag), {_local(key): value for key, value in attributes.items()}
    )
    with archive.open(info) as member:
        parser.ParseFile(member)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _check_content_type(tag: str, attributes: dict) -> None:
    content_type = attributes.get("ContentType", "").lower()
    if any(mark in content_type for mark in MACRO_MARKS):
        raise _macros()
    if any(mark in content_type for mark in OBJECT_MARKS):
        raise _embedded_objects()


def _check_relationship(tag: str, attributes: dict) -> None:
    if tag != "Relationship":
        return
    kind = attributes.get("Type", "").lower()
    if any(mark in kind for mark in MACRO_MARKS):
        raise _macros()
    if any(mark in kind for mark in OBJECT_MARKS) or kind.endswith("/control"):
        raise _embedded_objects()
    external = attributes.get("TargetMode", "").strip().lower() == "external"
    if external and not kind.endswith("/hyperlink"):
        raise _external_content()


def _check_odf_element(tag: str, attributes: dict) -> None:
    scripted = any(
        value.strip().lower().startswith(ODF_SCRIPT_URLS) for value in attributes.values()
    )
    if tag == "event-listener" or scripted:
        raise _macros()


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
    unpacked = sum(info.file_size for info in members)
    packed = sum(info.compress_size for info in members)
    if any(
        info.file_size > RATIO_FROM_BYTES
        and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in members
    ) or (unpacked > ARCHIVE_RATIO_FROM_BYTES and unpacked > MAX_RATIO * max(packed, 1)):
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
            if member.read(len(OLE_SIGN)) == OLE_SIGN:
                raise _embedded_objects()  # a VBA project or OLE object, whatever its name
            while member.read(1024 * 1024):
                pass


VERIFIERS = {
    PDF: _verify_pdf,
    JPEG: lambda path: _verify_image(path, JPEG, "JPEG", b"\xff\xd9"),
    PNG: lambda path: _verify_image(path, PNG, "PNG", b"IEND\xaeB`\x82"),
    "zip": _verify_office,
}
