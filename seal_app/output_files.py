"""Where a command may write the file it was asked for."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _


def output_file_problem(path: Path) -> str | None:
    """Why a command cannot write its file to ``path`` (None: it can): no name, no such
    folder, or something there that is not a plain file (a folder, a device)."""
    if not str(path).strip() or path.name in ("", ".", ".."):
        return _("Bitte geben Sie einen Dateinamen an.")
    if not path.resolve().parent.is_dir():
        return _("Den Ordner %(folder)s gibt es nicht.", folder=path.parent)
    if path.exists() and not path.is_file():
        return _("%(file)s ist keine gewöhnliche Datei; dorthin wird nicht geschrieben.", file=path)
    return None
