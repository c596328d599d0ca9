"""The certificate (Urkunde) as an A4 PDF, drawn with reportlab: the seal graphic drawn by the
project as vector, the school, the round, the validity, the number, the issuing bodies and a
signature block, and a QR code holding the public verification address. Unsigned here; the
signature is added by ``signing.sign``."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from seal_app import pdf
from seal_app.documents import marked

BLUE = colors.HexColor("#1B3A8C")
GOLD = colors.HexColor("#B8860B")
INK = colors.HexColor("#131525")
GREY = colors.HexColor("#4A4F63")


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on the certificate."""

    number: str
    school: str
    town: str
    round_title: str
    issued_on: date
    valid_until: date
    verify_url: str
    issuers: str
    signatories: tuple[tuple[str, str], ...]
    author: str


def german_date(day: date) -> str:
    """„26. November 2026“: the certificate is German whatever the reader's language."""
    return format_date(day, "d. MMMM y", locale="de_DE")


def certificate_pdf(text: CertificateText) -> bytes:
    """The unsigned certificate: one A4 page, every font embedded, tagged (PDF/UA-1)."""
    buffer = io.BytesIO()
    marks = marked.Marks(_canvas(buffer))
    draw_certificate(marks, text)
    marks.canvas.showPage()
    marks.next_page()
    marks.canvas.save()
    description = marked.Description(
        title=f"Urkunde Nr. {text.number} – {text.school}",
        author=text.author,
        subject=f"Gütesiegel „Sicherheit macht Schule“ – {text.round_title}",
    )
    return marked.add_structure(buffer.getvalue(), marks, description)


class CertificateBook:
    """Many certificates, one per page, in one file for printing: drawn as on the issued
    certificates, the fonts embedded once, each page one article of the tagged file
    (unsigned: the signed single files are the documents of record)."""

    def __init__(self, target: Path, title: str, author: str, subject: str) -> None:
        self.target = target
        self.marks = marked.Marks(_canvas(str(target)))
        self.description = marked.Description(title, author, subject)

    def add(self, text: CertificateText) -> None:
        draw_certificate(self.marks, text)
        self.marks.canvas.showPage()
        self.marks.next_page()

    def close(self) -> None:
        self.marks.canvas.save()
        marked.add_structure(self.target, self.marks, self.description, group="Art")


def _canvas(target) -> Canvas:
    pdf.register_fonts()
    return Canvas(target, pagesize=pdf.PAGE_SIZE, initialFontName=pdf.REGULAR, lang="de-DE")


def draw_certificate(marks: marked.Marks, text: CertificateText) -> None:
    """Draw one certificate on the canvas's current page, in reading order, tagged."""
    canvas = marks.canvas
    width, height = pdf.PAGE_SIZE
    with marks.artifact():
        _frame(canvas, width, height)
    with marks.element("P"):
        _centred(canvas, text.issuers, height - 32 * mm, 10, GREY)
    with marks.artifact():
        draw_seal(canvas, width / 2, height - 78 * mm, 34 * mm)
    with marks.element("H1"):
        _centred(canvas, "Urkunde", height - 128 * mm, 34, BLUE, bold=True)
    with marks.element("P"):
        _centred(canvas, "Gütesiegel „Sicherheit macht Schule“", height - 140 * mm, 15, INK)
    with marks.element("P"):
        _centred(canvas, "verliehen an", height - 154 * mm, 11, GREY)
    y = height - 168 * mm
    with marks.element("P"):
        lines = simpleSplit(text.school, pdf.BOLD, 22, width - 50 * mm)[:2]
        for number, line in enumerate(lines, start=1):
            _centred(canvas, line, y, 22, INK, bold=True, more=number < len(lines))
            y -= 9.5 * mm
    with marks.element("P"):
        _centred(canvas, text.town, y, 13, INK)
    y -= 14 * mm
    with marks.element("P"):
        lines = simpleSplit(
            f"Die Schule hat in der {text.round_title} nachgewiesen, dass sie Sicherheit, "
            "Gewaltprävention und Gesundheit vorbildlich in ihrem Schulalltag verankert.",
            pdf.REGULAR,
            11,
            width - 60 * mm,
        )
        for number, line in enumerate(lines, start=1):
            _centred(canvas, line, y, 11, INK, more=number < len(lines))
            y -= 5.5 * mm
    y -= 4 * mm
    with marks.element("P"):
        _centred(
            canvas,
            f"Gültig vom {german_date(text.issued_on)} bis {german_date(text.valid_until)}",
            y,
            12,
            INK,
            bold=True,
        )
    with marks.element("P"):
        _centred(canvas, f"Ausgestellt am {german_date(text.issued_on)}", y - 7 * mm, 10, GREY)
    _signatures(marks, text, width)
    _verification(marks, text, width)


def _frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(BLUE)
    canvas.setLineWidth(2.2)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(14.5 * mm, 14.5 * mm, width - 29 * mm, height - 29 * mm)


def _centred(
    canvas: Canvas, text: str, y: float, size: float, colour, bold=False, more=False
) -> None:
    """One line centred on the page; ``more``: another line of the paragraph follows."""
    canvas.setFillColor(colour)
    canvas.setFont(pdf.BOLD if bold else pdf.REGULAR, size)
    _centred_at(canvas, pdf.PAGE_SIZE[0] / 2, y, text, more)


def _centred_at(canvas: Canvas, x: float, y: float, text: str, more: bool) -> None:
    """``text`` centred on ``x``; a line followed by another ends with a space (after the
    centring), so that the text read aloud or copied keeps its words apart."""
    left = x - canvas.stringWidth(text) / 2
    canvas.drawString(left, y, text + " " if more else text)


def draw_seal(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    """The seal: a blue disc with a gold ring, the name set around it, a shield with a tick."""
    canvas.saveState()
    canvas.setFillColor(BLUE)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(2.5)
    canvas.circle(cx, cy, radius, stroke=1, fill=1)
    canvas.setLineWidth(0.8)
    canvas.circle(cx, cy, radius * 0.70, stroke=1, fill=0)
    _text_on_circle(canvas, "SICHERHEIT MACHT SCHULE", cx, cy, radius * 0.80, top=True)
    _text_on_circle(canvas, "GÜTESIEGEL", cx, cy, radius * 0.80, top=False)
    for side in (-1, 1):  # a small star on each side of the lower text
        angle = -math.pi / 2 + side * math.radians(62)
        x, y = cx + radius * 0.80 * math.cos(angle), cy + radius * 0.80 * math.sin(angle)
        _star(canvas, x, y, radius * 0.07)
    _shield(canvas, cx, cy, radius * 0.46)
    canvas.restoreState()


def _text_on_circle(
    canvas: Canvas, text: str, cx: float, cy: float, radius: float, top: bool
) -> None:
    size = radius * 0.18
    canvas.setFont(pdf.BOLD, size)
    canvas.setFillColor(colors.white)
    widths = [canvas.stringWidth(char, pdf.BOLD, size) * 1.05 for char in text]
    span = sum(widths) / radius  # the arc the text takes, in radians
    angle = math.pi / 2 + span / 2 if top else -math.pi / 2 - span / 2
    for char, char_width in zip(text, widths, strict=True):
        step = char_width / radius
        middle = angle - step / 2 if top else angle + step / 2
        x, y = cx + radius * math.cos(middle), cy + radius * math.sin(middle)
        canvas.saveState()
        canvas.translate(x, y)
        rotation = math.degrees(middle) - 90 if top else math.degrees(middle) + 90
        canvas.rotate(rotation)
        canvas.drawCentredString(0, -size * 0.35, char)
        canvas.restoreState()
        angle = angle - step if top else angle + step


def _star(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    path = canvas.beginPath()
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + index * math.pi / 5
        point = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        if index == 0:
            path.moveTo(*point)
        else:
            path.lineTo(*point)
    path.close()
    canvas.setFillColor(GOLD)
    canvas.drawPath(path, stroke=0, fill=1)


def _shield(canvas: Canvas, cx: float, cy: float, size: float) -> None:
    top, bottom = cy + size * 0.85, cy - size * 1.0
    path = canvas.beginPath()
    path.moveTo(cx - size * 0.8, top)
    path.lineTo(cx + size * 0.8, top)
    path.curveTo(cx + size * 0.8, cy - size * 0.3, cx + size * 0.4, cy - size * 0.7, cx, bottom)
    path.curveTo(
        cx - size * 0.4, cy - size * 0.7, cx - size * 0.8, cy - size * 0.3, cx - size * 0.8, top
    )
    path.close()
    canvas.setFillColor(colors.white)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.5)
    canvas.drawPath(path, stroke=1, fill=1)
    tick = canvas.beginPath()
    tick.moveTo(cx - size * 0.42, cy + size * 0.02)
    tick.lineTo(cx - size * 0.08, cy - size * 0.36)
    tick.lineTo(cx + size * 0.48, cy + size * 0.42)
    canvas.setStrokeColor(BLUE)
    canvas.setLineWidth(size * 0.16)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    canvas.drawPath(tick, stroke=1, fill=0)


def _signatures(marks: marked.Marks, text: CertificateText, width: float) -> None:
    canvas = marks.canvas
    signatories = text.signatories[:3] or (("", ""),)
    column = (width - 50 * mm) / len(signatories)
    y = 62 * mm
    for index, (name, title) in enumerate(signatories):
        x = 25 * mm + column * index + column / 2
        with marks.artifact():  # the line to sign on
            canvas.setStrokeColor(GREY)
            canvas.setLineWidth(0.6)
            canvas.line(x - column / 2 + 8 * mm, y, x + column / 2 - 8 * mm, y)
        canvas.setFillColor(INK)
        if name:
            with marks.element("P"):
                canvas.setFont(pdf.BOLD, 10)
                canvas.drawCentredString(x, y - 5 * mm, name)
        lines = simpleSplit(title, pdf.REGULAR, 8.5, column - 6 * mm)[:2]
        if lines:
            with marks.element("P"):
                canvas.setFont(pdf.REGULAR, 8.5)
                for number, line in enumerate(lines):
                    more = number + 1 < len(lines)
                    _centred_at(canvas, x, y - 9.5 * mm - number * 4 * mm, line, more)


def _verification(marks: marked.Marks, text: CertificateText, width: float) -> None:
    canvas = marks.canvas
    size = 24 * mm
    x, y = width - 25 * mm - size, 22 * mm
    canvas.setFillColor(GREY)
    canvas.setFont(pdf.REGULAR, 8)
    for line, offset in (
        (f"Urkunde Nr. {text.number}", 14 * mm),
        ("Echtheit prüfen: QR-Code scannen oder aufrufen", 9 * mm),
        (text.verify_url, 4.5 * mm),
    ):
        with marks.element("P"):
            canvas.drawString(25 * mm, y + offset, line)
    with marks.element("Figure", alt=text.verify_url, bbox=(x, y, x + size, y + size)):
        draw_qr_code(canvas, text.verify_url, x, y, size)


QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def draw_qr_code(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """``data`` as a QR code (segno, error correction M) drawn as vector squares into the
    square at (x, y) of ``size``, quiet zone included; each run of dark modules in a row is
    one rectangle."""
    matrix = segno.make(data, error="m", micro=False).matrix
    count = len(matrix)
    module = size / (count + 2 * QUIET_ZONE)
    left, top = x + QUIET_ZONE * module, y + size - QUIET_ZONE * module
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        column = 0
        while column < count:
            start = column
            while column < count and row[column]:
                column += 1
            if column > start:
                bottom = top - (row_number + 1) * module
                path.rect(left + start * module, bottom, (column - start) * module, module)
            column += 1
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
