"""The one PDF style: A4, German, embedded DejaVu fonts (so „“ ä ö ü ß – print), reportlab."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)
REGULAR, BOLD = "SealSans", "SealSans-Bold"
PAGE_SIZE = A4
MARGIN = 20 * mm
ACCENT = colors.HexColor("#2044AA")


class FontMissingError(RuntimeError):
    pass


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (Debian: fonts-dejavu-core), or reportlab's own Vera as fallback."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            return
    try:
        pdfmetrics.registerFont(TTFont(REGULAR, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    except Exception as error:  # reportlab raises TTFError and others
        raise FontMissingError("no TrueType font found (install fonts-dejavu-core)") from error


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=10),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=18,
            leading=23,
            spaceAfter=4 * mm,
            textColor=ACCENT,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=5 * mm,
            spaceAfter=2 * mm,
        ),
        "subheading": ParagraphStyle(
            "subheading",
            parent=body,
            fontName=BOLD,
            fontSize=10,
            leading=14,
            spaceBefore=3 * mm,
            spaceAfter=1 * mm,
        ),
    }


def table_style() -> list[tuple]:
    register_fonts()
    return [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8),
        ("FONT", (0, 0), (-1, 0), BOLD, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#B0B4C3")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def footer(canvas, document, text: str) -> None:
    """Page footer with ``text`` and the page number, in the embedded font."""
    canvas.saveState()
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(MARGIN, 12 * mm, text)
    canvas.drawRightString(PAGE_SIZE[0] - MARGIN, 12 * mm, f"Seite {document.page}")
    canvas.restoreState()
