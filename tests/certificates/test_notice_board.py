"""The public list of sealed schools as an A4 PDF for notice boards."""

from __future__ import annotations

import io
import subprocess

from pypdf import PdfReader

from seal_app.certificates import issuing
from seal_app.extensions import db
from tests.certificates.print_setup import round_with_certificates


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_notice_board_pdf_lists_the_valid_seals_in_german(app, make):
    printed = round_with_certificates(app, make, 3)
    with app.app_context():
        revoked = issuing.by_number(printed.numbers[2])
        revoked.revoked_at, revoked.revoked_reason = revoked.created_at, "Irrtum"
        db.session.commit()
    anonymous = app.test_client()
    anonymous.post("/language", data={"language": "en"})  # the notice stays German
    answer = anonymous.get("/siegelschulen.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    assert reader.metadata.title == "Schulen mit dem Gütesiegel „Sicherheit macht Schule“"
    assert round(float(reader.pages[0].mediabox.width), 1) == 595.3  # A4
    text = _text(answer.data)
    assert "Schulen mit dem Gütesiegel „Sicherheit macht Schule“" in text
    assert printed.schools[0] in text and printed.schools[1] in text
    assert printed.schools[2] not in text  # revoked
    assert "Grundschule" in text and "Waren (Müritz)" in text and "gültig bis" in text
    assert "https://siegel.example.org/siegelschulen" in text
    fonts = subprocess.run(["pdffonts", "-"], input=answer.data, capture_output=True, check=True)
    rows = fonts.stdout.decode().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # every font embedded


def test_the_notice_board_pdf_follows_the_filters(app, make):
    printed = round_with_certificates(app, make, 1)
    anonymous = app.test_client()
    text = _text(anonymous.get("/siegelschulen.pdf?ort=Rostock").data)
    assert printed.schools[0] not in text
    assert "Zurzeit trägt keine Schule dieser Auswahl das Siegel." in text
    spoof = "Alle Siegel dieser Liste wurden widerrufen"
    text = _text(anonymous.get(f"/siegelschulen.pdf?ort={spoof}").data)
    assert spoof not in text  # a reader's text never reaches the official page
    text = _text(anonymous.get("/siegelschulen.pdf?ort=waren (müritz)").data)
    assert printed.schools[0] in text and "Auswahl: Waren (Müritz)" in text
    text = _text(anonymous.get("/siegelschulen.pdf?schulart=grundschule").data)
    assert printed.schools[0] in text and "Auswahl: Grundschule" in text
