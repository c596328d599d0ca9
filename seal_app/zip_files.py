"""Files handed out in ZIP archives: members everyone who unpacks may read, names in plain
ASCII so that every ZIP program shows them."""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

from seal_app.local_time import local_zone

MEMBER_MODE = 0o100644  # a regular file everyone who unpacks the ZIP may read (rw-r--r--)


def add_member(archive: zipfile.ZipFile, name: str, source: Path | bytes) -> None:
    """One file into the ZIP, dated now and readable by all: ``writestr`` would mark it
    0600, ``write`` would copy the mode of the stored file."""
    member = zipfile.ZipInfo(name, date_time=datetime.now(local_zone()).timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = MEMBER_MODE << 16
    if isinstance(source, bytes):
        archive.writestr(member, source)
        return
    with source.open("rb") as reading, archive.open(member, "w") as writing:
        shutil.copyfileobj(reading, writing)


def ascii_name(text: str, limit: int = 60) -> str:
    """A file-name part from ``text``: German letters spelled out, the rest ASCII letters,
    digits and hyphens."""
    for letter, spelled in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        text = text.replace(letter, spelled)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:limit].rstrip("-") or "Schule"
