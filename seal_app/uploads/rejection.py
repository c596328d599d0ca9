"""The refusal of an upload and the checks every kind of file shares: no second format
hidden in it (a polyglot), no web page markup anywhere."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from flask_babel import gettext as _

MARKUP_SIGNS = (b"<html", b"<script", b"<!doctype", b"<svg", b"<?php", b"<iframe", b"<body")
ZIP_SIGNS = (b"PK\x03\x04", b"PK\x05\x06")
ZIP_TAIL_BYTES = 22 + 65_535  # a ZIP end record with the longest possible comment
# Markup anywhere in an image, as a tag (the sign followed by a tag-ending byte), so that
# random bytes of compressed image data practically never match.
MARKUP_TAG = re.compile(rb"<(?:html|script|!doctype|svg|\?php|iframe|body)[\s/>]", re.IGNORECASE)


class UploadRejectedError(Exception):
    """The file was refused; the message tells the user why, in their language."""


def damaged(kind: str) -> UploadRejectedError:
    return UploadRejectedError(
        _("Die Datei ist beschädigt oder kein gültiges %(kind)s.", kind=kind)
    )


def tail(path: Path, size: int) -> bytes:
    """The last ``size`` bytes of the file."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read()


def refuse_second_format(path: Path) -> None:
    """Refuse a file that ZIP tools would also open as an archive: the same end-record search
    unzip and Python use, and the signatures anywhere the end record can be."""
    end = tail(path, ZIP_TAIL_BYTES)
    if zipfile.is_zipfile(path) or any(sign in end for sign in ZIP_SIGNS):
        raise UploadRejectedError(
            _("Die Datei enthält ein angehängtes Archiv und wird deshalb nicht angenommen.")
        )


def refuse_markup_anywhere(path: Path) -> None:
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
