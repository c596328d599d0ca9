"""The one PDF style: A4, German, embedded DejaVu fonts (so „“ ä ö ü ß – print), reportlab."""

from __future__ import annotations

import io
from functools import cache, lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate

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


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=10),
        "text_block": ParagraphStyle("text_block", parent=body, spaceBefore=1.5 * mm),
        "item_heading": ParagraphStyle(
            "item_heading", parent=body, spaceBefore=1 * mm, keepWithNext=1
        ),
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
            keepWithNext=1,
        ),
        "section": ParagraphStyle(  # a heading before a table; see section_heading()
            "section",
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
            keepWithNext=1,
        ),
    }


def section_heading(text: str) -> list:
    """A heading before a long table: starts a new page unless the heading and the table's
    first rows fit, then lets the table flow (its header row repeats on each page)."""
    return [CondPageBreak(40 * mm), Paragraph(text, styles()["section"])]


# How much of the text after a heading must fit below it on the same page.
LINES_KEPT_WITH_HEADING = 3


class KeepHeadingWithText(KeepTogether):
    """What ``keepWithNext`` keeps together: headings and the flowable after them.

    Starts a new page only if the headings and the first lines of that flowable do not fit;
    a long text after a heading flows on from there (reportlab's own class would move the
    whole group, leaving most of the page empty). Used as the document's keepTogetherClass.
    """

    def split(self, aW: float, aH: float) -> list:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        last = self._content[-1]
        if aH < self._H and len(self._content) > 1 and isinstance(last, Paragraph):
            first_lines = min(last.height, LINES_KEPT_WITH_HEADING * last.style.leading)
            if self._H - last.height + first_lines <= aH:
                return list(self._content)  # the headings fit here, the text flows on
        return super().split(aW, aH)


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


FOOTER_SIZE = 7.5
FOOTER_LEADING = 9
PAGE_NUMBER_WIDTH = 28 * mm  # room kept for „Seite 999 von 999“


def footer(canvas, document, text: str) -> None:
    """Page footer with ``text``, wrapped to at most two lines beside the page number."""
    canvas.saveState()
    canvas.setFont(REGULAR, FOOTER_SIZE)
    lines = fit_lines(text, REGULAR, FOOTER_SIZE, footer_width(), max_lines=2)
    for number, line in enumerate(lines):
        canvas.drawString(MARGIN, 12 * mm - number * FOOTER_LEADING, line)
    canvas.restoreState()


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
    room = 2 * footer_width() * 0.85 - stringWidth(f" · {rest}", REGULAR, FOOTER_SIZE)
    return f"{shorten(name, REGULAR, FOOTER_SIZE, room)} · {rest}"


def footer_width() -> float:
    return PAGE_SIZE[0] - 2 * MARGIN - PAGE_NUMBER_WIDTH


def build(
    story: list, title: str, author: str, footer_line: str, subject: str | None = None
) -> bytes:
    """An A4 document in the one style: embedded fonts only, numbered pages, ``footer_line``
    at the foot of each page, German as its language."""
    buffer = io.BytesIO()
    _build_into(buffer, story, title, author, footer_line, subject, NumberedCanvas)
    return buffer.getvalue()


def _build_into(target, story, title, author, footer_line, subject, canvasmaker) -> None:
    register_fonts()
    document = SimpleDocTemplate(
        target,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 5 * mm,
        title=title,
        author=author,
        subject=subject,
        lang="de-DE",
        initialFontName=REGULAR,  # no un-embedded Helvetica anywhere in the file
        keepTogetherClass=KeepHeadingWithText,
    )
    document.build(
        story,
        onFirstPage=lambda c, d: footer(c, d, footer_line),
        onLaterPages=lambda c, d: footer(c, d, footer_line),
        canvasmaker=canvasmaker,
    )


class NumberedCanvas(Canvas):
    """Numbers pages „Seite 1 von 8“: keeps every page until the total is known (two passes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_states: list[dict] = []

    def showPage(self) -> None:
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        self._number_pages()
        super().save()

    def _number_pages(self) -> None:
        """Write out the kept pages with „Seite n von total“, counting from the first kept."""
        total = len(self._page_states)
        for number, state in enumerate(self._page_states, start=1):
            self.__dict__.update(state)
            self._draw_page_number(number, total)
            Canvas.showPage(self)
        self._page_states = []

    def _draw_page_number(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(REGULAR, FOOTER_SIZE)
        self.drawRightString(PAGE_SIZE[0] - MARGIN, 12 * mm, f"Seite {number} von {total}")
        self.restoreState()


class _BoundCanvas(NumberedCanvas):
    """The one canvas of a ``Binder``: each document's ``save`` only numbers its pages."""

    def save(self) -> None:
        self._number_pages()

    def close(self) -> None:
        Canvas.save(self)


class Binder:
    """Several documents in the one style bound into one PDF file, one after the other, each
    with its own footer and page numbers, exactly as each looks on its own. Only the pages of
    the document being laid out are held in memory: for printing a whole round."""

    def __init__(self, target: str, title: str, author: str, subject: str) -> None:
        register_fonts()
        self.title, self.author, self.subject = title, author, subject
        self.canvas = _BoundCanvas(
            target, pagesize=PAGE_SIZE, initialFontName=REGULAR, lang="de-DE"
        )

    def add(self, story: list, footer_line: str) -> None:
        _build_into(
            None,
            story,
            self.title,
            self.author,
            footer_line,
            self.subject,
            lambda *args, **kwargs: self.canvas,
        )

    def close(self) -> None:
        self.canvas.setTitle(self.title)
        self.canvas.setAuthor(self.author)
        self.canvas.setSubject(self.subject)
        self.canvas.setCreator(self.author)
        self.canvas.close()
