"""Forms for adding a catalogue version: the upload, then the confirmation after the diff."""

from __future__ import annotations

import base64
import binascii

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from seal_app.forms import BaseForm


class UploadVersionForm(BaseForm):
    file = FileField(
        _l("Katalogdatei (YAML)"),
        description=_l(
            "Eine YAML-Datei im Aufbau der bisherigen Fassungen mit einer neuen, höheren "
            "Versionsnummer; höchstens 1 MB. Am einfachsten laden Sie die neueste Fassung auf "
            "der Seite „Fassungen“ als YAML herunter und ändern sie."
        ),
        validators=[FileRequired(_l("Bitte wählen Sie eine YAML-Datei aus."))],
    )

    def read(self, limit: int) -> bytes:
        """At most ``limit + 1`` bytes: enough to tell that a file is too large."""
        return self.file.data.stream.read(limit + 1)


class ConfirmVersionForm(BaseForm):
    """Carries the checked text from the diff page back (one line: base64), checked again."""

    content = HiddenField()
    file_name = HiddenField()

    def fill(self, text: str, name: str) -> None:
        self.content.data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        self.file_name.data = name

    def text(self) -> str | None:
        try:
            return base64.b64decode(self.content.data or "", validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
