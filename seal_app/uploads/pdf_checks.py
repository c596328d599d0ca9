"""PDF uploads: readable, and without scripts, XFA forms, 3D content, rich media, embedded
files or actions that run by themselves (other than going to a page)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from seal_app.uploads.rejection import (
    UploadRejectedError,
    damaged,
    refuse_second_format,
)

PDF = "application/pdf"
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


def verify_pdf(path: Path) -> str:
    refuse_second_format(path)
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
            raise damaged("PDF")
        _refuse_pdf_content(_pdf_active_content(path))
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise damaged("PDF") from error
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
