"""What the PDFs share: A4, the DejaVu fonts (so „“ ä ö ü ß – print) registered for reportlab
(the certificate, the chart's measures), and the footer line fitted beside the page number.
The text documents' layout and style are in ``templates/documents/`` (see
``seal_app.documents``)."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)
REGULAR, BOLD = "SealSans", "SealSans-Bold"
PAGE_SIZE = A4
MARGIN = 20 * mm


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
            _register_family()
            return
    try:
        pdfmetrics.registerFont(TTFont(REGULAR, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    except Exception as error:  # reportlab raises TTFError and others
        raise FontMissingError("no TrueType font found (install fonts-dejavu-core)") from error
    _register_family()


def _register_family() -> None:
    """So that <b> in a paragraph prints bold (there is no italic face: <i> stays upright)."""
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


FOOTER_SIZE = 7.5
PAGE_NUMBER_WIDTH = 28 * mm  # room kept for „Seite 999 von 999“


@lru_cache(maxsize=64)
def fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    """``text`` wrapped to ``width``; past ``max_lines`` the last line ends with „…“."""
    register_fonts()
    lines = simpleSplit(text, font, size, width)
    if len(lines) <= max_lines:
        return tuple(lines)
    return (*lines[: max_lines - 1], shorten(lines[max_lines - 1] + " …", font, size, width))


def shorten(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut to ``width``, ending with „…“ if anything was cut."""
    register_fonts()
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text.rstrip(" …") + " …", font, size) > width:
        text = text[:-1]
    return text.rstrip(" …") + " …"


def footer_text(name: str, rest: str) -> str:
    """Footer text ``name · rest`` with ``name`` shortened so that ``rest`` always shows."""
    register_fonts()
    room = 2 * footer_width() * 0.85 - stringWidth(f" · {rest}", REGULAR, FOOTER_SIZE)
    return f"{shorten(name, REGULAR, FOOTER_SIZE, room)} · {rest}"


def footer_width() -> float:
    return PAGE_SIZE[0] - 2 * MARGIN - PAGE_NUMBER_WIDTH
