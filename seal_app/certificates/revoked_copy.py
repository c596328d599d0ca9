"""The copy of a revoked certificate the school downloads: every page of the issued PDF with
„WIDERRUFEN“ stamped across it and a line at the foot naming the date and where to check.

The copy is a new, unsigned file: the signature of the original does not carry over, so no
one can present the copy as the signed certificate. The original stays in the upload store
unchanged (the office downloads it as such)."""

from __future__ import annotations

import io

from flask import Response
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from seal_app import pdf
from seal_app.certificates.document import german_date
from seal_app.certificates.issuing import verify_url
from seal_app.certificates.models import Certificate
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
    reader = PdfReader(io.BytesIO(original))
    writer = PdfWriter()
    for source in reader.pages:
        width, height = float(source.mediabox.width), float(source.mediabox.height)
        stamp = PdfReader(io.BytesIO(_stamp(width, height, revoked_on, certificate))).pages[0]
        page = writer.add_page(source)
        # the original's signature field would only show as a broken signature here
        page.pop(NameObject("/Annots"), None)
        page.merge_page(stamp)
    writer.add_metadata(
        {
            "/Title": f"Urkunde Nr. {certificate.number} – WIDERRUFEN am {revoked_on}",
            "/Subject": "Widerrufene Urkunde, nicht gültig",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp(width: float, height: float, revoked_on: str, certificate: Certificate) -> bytes:
    """One transparent page: the diagonal stamp and the line at the foot."""
    pdf.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.setFillColor(STAMP_RED)
    canvas.setStrokeColor(STAMP_RED)
    canvas.setFillAlpha(0.35)
    canvas.setStrokeAlpha(0.6)
    canvas.setFont(pdf.BOLD, 76)
    canvas.drawCentredString(0, 0, "WIDERRUFEN")
    canvas.setFont(pdf.BOLD, 26)
    canvas.drawCentredString(0, -36, f"am {revoked_on}")
    half = stringWidth("WIDERRUFEN", pdf.BOLD, 76) / 2 + 18
    canvas.setLineWidth(3)
    canvas.roundRect(-half, -54, 2 * half, 136, 12, stroke=1, fill=0)
    canvas.restoreState()
    canvas.setFillColor(colors.white)
    canvas.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
    canvas.setFillColor(STAMP_RED)
    canvas.setFont(pdf.BOLD, 10)
    canvas.drawCentredString(
        width / 2,
        9 * mm,
        f"WIDERRUFEN am {revoked_on}: Diese Urkunde Nr. {certificate.number} ist nicht gültig.",
    )
    canvas.setFont(pdf.REGULAR, 8.5)
    canvas.drawCentredString(width / 2, 4.5 * mm, f"Stand prüfen: {verify_url(certificate.number)}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
