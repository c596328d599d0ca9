"""The copy of a revoked certificate the school downloads: every page of the issued PDF with
„WIDERRUFEN“ stamped across it and a line at the foot naming the date and where to check.

The copy is a new, unsigned file: the signature of the original does not carry over, so no
one can present the copy as the signed certificate. The original stays in the upload store
unchanged (the office downloads it as such)."""

from __future__ import annotations

import io

from flask import Response
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from seal_app import pdf
from seal_app.certificates.document import german_date
from seal_app.certificates.issuing import verify_url
from seal_app.certificates.models import Certificate
from seal_app.documents import binding, marked
from seal_app.local_time import local_zone
from seal_app.uploads import store

STAMP_RED = colors.HexColor("#B00020")


def revoked_download(certificate: Certificate) -> Response:
    """The stamped copy as a download named so that it cannot be mistaken for the original."""
    original = store.path_of(certificate.stored_name).read_bytes()
    response = Response(revoked_copy(original, certificate), mimetype="application/pdf")
    name = f"Urkunde-{certificate.number}-widerrufen.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def revoked_copy(original: bytes, certificate: Certificate) -> bytes:
    """``original`` with the revocation stamped on every page (German, whatever the reader's
    language, as the certificate itself)."""
    revoked_on = german_date(certificate.revoked_at.astimezone(local_zone()).date())
    sizes = [
        (float(page.mediabox.width), float(page.mediabox.height))
        for page in PdfReader(io.BytesIO(original)).pages
    ]
    overlay, marks = _stamps(sizes, revoked_on, certificate)
    return binding.stamp(
        original,
        overlay,
        marks,
        title=f"Urkunde Nr. {certificate.number} – WIDERRUFEN am {revoked_on}",
        subject="Widerrufene Urkunde, nicht gültig",
    )


def _stamps(
    sizes: list[tuple[float, float]], revoked_on: str, certificate: Certificate
) -> tuple[bytes, marked.Marks]:
    """The stamps, one page for each page of the original (tagged: read before it)."""
    pdf.register_fonts()
    buffer = io.BytesIO()
    marks = marked.Marks(Canvas(buffer, pagesize=sizes[0], initialFontName=pdf.REGULAR))
    for width, height in sizes:
        marks.canvas.setPageSize((width, height))
        _stamp(marks, width, height, revoked_on, certificate)
        marks.canvas.showPage()
        marks.next_page()
    marks.canvas.save()
    return buffer.getvalue(), marks


def _stamp(
    marks: marked.Marks, width: float, height: float, revoked_on: str, certificate: Certificate
) -> None:
    """One transparent page: the diagonal stamp and the line at the foot."""
    canvas = marks.canvas
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.setFillColor(STAMP_RED)
    canvas.setStrokeColor(STAMP_RED)
    canvas.setFillAlpha(0.35)
    canvas.setStrokeAlpha(0.6)
    with marks.element("P"):
        canvas.setFont(pdf.BOLD, 76)
        word = "WIDERRUFEN"  # centred without the space that keeps it apart from „am“
        canvas.drawString(-stringWidth(word, pdf.BOLD, 76) / 2, 0, word + " ")
        canvas.setFont(pdf.BOLD, 26)
        canvas.drawCentredString(0, -36, f"am {revoked_on}")
    half = stringWidth("WIDERRUFEN", pdf.BOLD, 76) / 2 + 18
    with marks.artifact():
        canvas.setLineWidth(3)
        canvas.roundRect(-half, -54, 2 * half, 136, 12, stroke=1, fill=0)
    canvas.restoreState()
    with marks.artifact():
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
    canvas.setFillColor(STAMP_RED)
    with marks.element("P"):
        canvas.setFont(pdf.BOLD, 10)
        canvas.drawCentredString(
            width / 2,
            9 * mm,
            f"WIDERRUFEN am {revoked_on}: Diese Urkunde Nr. {certificate.number} ist nicht gültig.",
        )
    with marks.element("P"):
        canvas.setFont(pdf.REGULAR, 8.5)
        canvas.drawCentredString(
            width / 2, 4.5 * mm, f"Stand prüfen: {verify_url(certificate.number)}"
        )
