"""Baked badges (Open Badges 3.0 „baking“): the credential inside the seal's picture, and
reading it out again from a PNG (``iTXt`` chunk ``openbadgecredential``) or an SVG
(``<openbadges:credential>``). Reading trusts nothing in the file: the credential found is
checked like a pasted one."""

from __future__ import annotations

import struct
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from PIL.PngImagePlugin import PngInfo

from seal_app.credentials import seal_image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
MAX_TEXT = 1024 * 1024


class BakingProblem(Exception):
    """The file holds no readable credential; ``kind`` names why."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def baked_png(text: seal_image.SealText, credential: str) -> bytes:
    info = PngInfo()
    info.add_itxt(KEYWORD.decode(), credential, zip=False)
    return seal_image.png_bytes(text, info)


def baked_svg(text: seal_image.SealText, title: str, credential: str) -> bytes:
    return seal_image.svg(text, title, credential)


def credential_in(data: bytes) -> str:
    """The credential baked into a PNG or SVG file."""
    if data.startswith(PNG_SIGNATURE):
        return _from_png(data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return _from_svg(data)
    raise BakingProblem("not_an_image")


def _from_png(data: bytes) -> str:
    """Walk the chunks (each with its CRC checked) to the first ``openbadgecredential``."""
    offset = len(PNG_SIGNATURE)
    while offset + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        crc = data[offset + 8 + length : offset + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise BakingProblem("broken_png")
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
            raise BakingProblem("broken_png")
        if kind == b"iTXt" and body.split(b"\x00", 1)[0] == KEYWORD:
            return _itxt_text(body)
        if kind == b"IEND":
            break
        offset += 12 + length
    raise BakingProblem("no_credential")


def _itxt_text(body: bytes) -> str:
    try:
        _keyword, rest = body.split(b"\x00", 1)
        compressed, _method = rest[0], rest[1]
        _language, rest = rest[2:].split(b"\x00", 1)
        _translated, text = rest.split(b"\x00", 1)
        if compressed:
            inflater = zlib.decompressobj()
            text = inflater.decompress(text, MAX_TEXT)
            if inflater.unconsumed_tail:
                raise BakingProblem("broken_png")
        return text.decode("utf-8").strip()
    except (ValueError, IndexError, zlib.error, UnicodeDecodeError) as error:
        raise BakingProblem("broken_png") from error


def _from_svg(data: bytes) -> str:
    """Only UTF-8 is read (a declared or detected other encoding is refused before parsing),
    and no document type at all: no entities to expand, nothing fetched."""
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise BakingProblem("broken_svg") from error
    declaration = text[: text.find("?>") + 2] if text.startswith("<?xml") else ""
    if "\x00" in text or ("encoding" in declaration and "utf-8" not in declaration.lower()):
        raise BakingProblem("broken_svg")
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise BakingProblem("broken_svg") from error
    found = root.find(f".//{{{seal_image.OPENBADGES_NS}}}credential")
    if found is None or not (found.text or "").strip():
        raise BakingProblem("no_credential")
    return found.text.strip()
