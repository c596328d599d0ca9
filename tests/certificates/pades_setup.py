"""Helpers of the PAdES tests: the three signed documents of record of an awarded application,
and how poppler and pyHanko read them."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from seal_app.applications import submission
from seal_app.applications.models import Application
from seal_app.certificates import issuing, letters
from seal_app.certificates.decisions import decision_of
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.uploads.store import UploadBatch, path_of


def documents_of_record(app, application_id: int) -> dict[str, bytes]:
    """The stored certificate, feedback letter and a receipt issued now, by kind."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        with UploadBatch() as batch:
            receipt = submission.issue_receipt(application, batch, utcnow())
            db.session.commit()
        certificate = issuing.certificate_of(application_id)
        letter = letters.letter_of(decision_of(application_id).id)
        return {
            kind: path_of(stored_name).read_bytes()
            for kind, stored_name in (
                ("Urkunde", certificate.stored_name),
                ("Rückmeldung", letter.stored_name),
                ("Eingangsbestätigung", receipt.stored_name),
            )
        }


def _poppler(tool: str, data: bytes, *options: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [tool, *options, str(path)], capture_output=True, text=True, check=False
        ).stdout


def pdfsig_types(data: bytes) -> list[str]:
    """The „Signature Type“ of every signature as poppler's pdfsig reads it."""
    return re.findall(r"Signature Type: (\S+)", _poppler("pdfsig", data))


def tagged(data: bytes) -> str:
    """poppler's „Tagged:“ line: „yes“ or „no“."""
    return re.search(r"^Tagged:\s+(\w+)", _poppler("pdfinfo", data), re.M).group(1)
