"""ODT and DOCX uploads: text documents without macros, embedded programs or content fetched
from elsewhere, whose members unpack to a realistic size."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from flask_babel import gettext as _

from seal_app.formatting import file_size
from seal_app.uploads.rejection import UploadRejectedError, damaged

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an office document's members, unpacked, in total
MAX_RATIO = 100  # unpacked : packed, for members above RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
ARCHIVE_RATIO_FROM_BYTES = 10 * 1024 * 1024  # the same ratio for the archive as a whole
OLE_SIGN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: VBA projects, OLE objects
MACRO_MARKS = ("vbaproject", "vbadata", "macroenabled", "keymapcustomizations")
OBJECT_MARKS = ("oleobject", "activex")
ODF_SCRIPT_URLS = ("vnd.sun.star.script:", "macro:", "javascript:")
OFFICE_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


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


def verify_office(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_bomb(archive.infolist())
            names = set(archive.namelist())
            if len({name.lower() for name in names}) != len(archive.infolist()):
                raise damaged("ODT/DOCX")  # one name twice: readers disagree which counts
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
        raise damaged("ODT/DOCX") from error
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
        raise damaged("ODT/DOCX")

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
            raise damaged("ODT/DOCX")
        with archive.open(info) as member:
            if member.read(len(OLE_SIGN)) == OLE_SIGN:
                raise _embedded_objects()  # a VBA project or OLE object, whatever its name
            while member.read(1024 * 1024):
                pass
