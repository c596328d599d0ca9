"""File and folder names that unpack safely on Windows, macOS and Linux.

The names schools give their files are kept as far as possible (umlauts too, as NFC), but
never as a path: no separators, no ``..``, no control characters, none of the characters or
device names Windows refuses, no leading or trailing dots and spaces, and a length every file
system takes. Within one folder each name is unique, also where case does not count.
"""

from __future__ import annotations

import re
import unicodedata

from seal_app.uploads.checks import EXTENSIONS

MAX_CHARACTERS = 100  # a folder of 60 and a file of 100 stay far below Windows' 260 per path
MAX_BYTES = 200  # in UTF-8: Linux and macOS allow 255 per name
MAX_EXTENSION = 10
FALLBACK = "Datei"
# The extensions of the file types the app accepts (a name that is nothing else gets a stem).
FILE_EXTENSIONS = frozenset(item for group in EXTENSIONS.values() for item in group)
# Characters Windows does not allow in names; the path separators among them.
FORBIDDEN = frozenset('<>:"/\\|?*')
# Control, format, surrogate, private-use characters and line or paragraph separators.
UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Device names Windows refuses with any extension ("CON.pdf", "com1.txt").
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{number}" for device in ("COM", "LPT") for number in "123456789¹²³"}
)


def clean(name: str) -> str:
    """``name`` as one safe path component (without the length limit)."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        "_" if char in FORBIDDEN or unicodedata.category(char) in UNPRINTABLE else char
        for char in name
    )
    name = " ".join(name.split())  # any other white space becomes one plain space
    name = re.sub(r"\.{2,}", ".", name)
    stem, dot, extension = name.rpartition(".")
    if dot and not stem.strip(" .") and "." + extension.casefold() in FILE_EXTENSIONS:
        name = f"{FALLBACK}.{extension}"  # „..pdf“: only the checked extension, no stem
    name = name.strip(" .")
    if name.split(".", 1)[0].rstrip(" ").upper() in RESERVED:
        name = "_" + name
    return name or FALLBACK


def split_extension(name: str) -> tuple[str, str]:
    """(stem, ".ext"), the extension only when it looks like one (letters and digits)."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem and 0 < len(extension) <= MAX_EXTENSION and extension.isalnum():
        return stem, "." + extension
    return name, ""


def fit(stem: str, extension: str, suffix: str = "", limit: int = MAX_CHARACTERS) -> str:
    """``stem`` shortened so that stem, suffix and extension keep within both limits."""
    while stem and (
        len(stem + suffix + extension) > limit
        or len((stem + suffix + extension).encode()) > MAX_BYTES
    ):
        stem = stem[:-1]
    stem = stem.rstrip(" .") or FALLBACK
    return unicodedata.normalize("NFC", stem + suffix + extension)


def safe_name(name: str, limit: int = MAX_CHARACTERS) -> str:
    """A file or folder name for an archive, from any text."""
    stem, extension = split_extension(clean(name))
    return fit(stem, extension, limit=limit)


class Folder:
    """Names handed out in one folder: a second „Plan.pdf“ becomes „Plan (2).pdf“."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def add(self, name: str) -> str:
        stem, extension = split_extension(safe_name(name))
        candidate, number = fit(stem, extension), 1
        while candidate.casefold() in self.taken:
            number += 1
            candidate = fit(stem, extension, f" ({number})")
        self.taken.add(candidate.casefold())
        return candidate
