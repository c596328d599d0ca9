"""The public check of a credential: pasted as text or chosen as a baked picture."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField

from seal_app.forms import BaseForm


class CredentialCheckForm(BaseForm):
    credential = TextAreaField(
        _l("Digitaler Nachweis als Text"),
        description=_l("Der Nachweis beginnt mit „eyJ“ und besteht aus drei Teilen mit Punkten."),
        render_kw={"rows": 5, "spellcheck": "false", "autocomplete": "off"},
    )
    file = FileField(
        _l("Oder das Siegel-Bild mit Nachweis (PNG oder SVG)"),
        description=_l("Höchstens 1 MB. Sie können die Datei auch auf diese Fläche ziehen."),
        render_kw={"accept": ".png,.svg,image/png,image/svg+xml"},
    )

    def submitted(self, limit: int) -> tuple[str, bytes | None] | None:
        """The pasted text or the file's bytes; None (with the message at the field) if
        nothing usable was given."""
        upload = self.file.data
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.stream.read(limit + 1)
            if len(data) > limit:
                self.file.errors = [_("Die Datei ist größer als 1 MB.")]
                return None
            return "file", data
        text = (self.credential.data or "").strip()
        if not text:
            self.credential.errors = [
                _("Bitte fügen Sie einen Nachweis ein oder wählen Sie ein Siegel-Bild aus.")
            ]
            return None
        if len(text.encode("utf-8")) > limit:
            self.credential.errors = [_("Der Nachweis ist länger als 1 MB.")]
            return None
        return "text", text.encode("utf-8")
