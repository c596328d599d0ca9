"""The office's forms for importing paper-era seals."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from seal_app.certificates.paper_csv import MAX_BYTES
from seal_app.forms import BaseForm


class SealFileForm(BaseForm):
    file = FileField(
        _l("CSV-Datei mit den Urkunden"),
        description=_l(
            "Spalten: Schulnummer; Schule; Ort; Urkunde; Verliehen am; Gültig bis; Bemerkung "
            "(optional Schulart). Trennzeichen Semikolon oder Komma, UTF-8 oder Windows-1252, "
            "höchstens 1 MB."
        ),
        validators=[FileRequired(_l("Bitte wählen Sie eine CSV-Datei aus."))],
    )

    def read(self) -> tuple[str, bytes] | None:
        """The file's name and bytes; None (with the message at the field) if it is not a
        CSV file or too large."""
        upload = self.file.data
        name = (getattr(upload, "filename", "") or "").strip()
        if not name.lower().endswith((".csv", ".txt")):
            self.file.errors = [_("Bitte wählen Sie eine CSV-Datei (Endung .csv) aus.")]
            return None
        data = upload.stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            self.file.errors = [_("Die Datei ist größer als 1 MB.")]
            return None
        return name[-200:], data


class ConfirmImportForm(BaseForm):
    """„Importieren“ under the preview (its file is named by the page's address)."""
