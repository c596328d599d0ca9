"""Tagging what reportlab draws: marked content written into the page while drawing
(``Marks``), and the structure tree, parent tree and PDF/UA identification added to the
finished file with pikepdf (``add_structure``).

reportlab's open-source canvas writes no structure tree; ``Canvas.addLiteral`` puts the
marked-content operators into the page stream in drawing order, which is the reading order.
Each element gets one marked-content sequence (several lines of one paragraph share it);
decoration is drawn inside ``artifact()``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from reportlab import Version as reportlab_version
from reportlab.pdfgen.canvas import Canvas

from seal_app.documents import xmp

PRODUCER = f"{xmp.CREATOR} (reportlab {reportlab_version}, pikepdf {pikepdf.__version__})"


@dataclass(frozen=True)
class Element:
    role: str  # a standard structure type: H1, P, Figure …
    alt: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # a Figure's place on the page


class Marks:
    """The marked content drawn on a canvas, page by page; call ``next_page`` after each
    ``showPage``."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.pages: list[list[Element]] = [[]]

    @contextmanager
    def element(
        self,
        role: str,
        alt: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> Iterator[None]:
        """What is drawn inside is one structure element of ``role``."""
        page = self.pages[-1]
        self.canvas.addLiteral(f"/{role} <</MCID {len(page)}>> BDC")
        page.append(Element(role, alt, bbox))
        yield
        self.canvas.addLiteral("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """What is drawn inside is decoration, not content."""
        self.canvas.addLiteral("/Artifact BMC")
        yield
        self.canvas.addLiteral("EMC")

    def next_page(self) -> None:
        self.pages.append([])

    @property
    def finished_pages(self) -> list[list[Element]]:
        return self.pages[:-1] if not self.pages[-1] else self.pages


@dataclass(frozen=True)
class Description:
    title: str
    author: str
    subject: str
    lang: str = "de-DE"


def add_structure(
    source: bytes | Path, marks: Marks, description: Description, group: str | None = None
) -> bytes | None:
    """The structure tree for what ``marks`` recorded, added to the PDF ``source``; with
    ``group`` (e.g. ``Art``) each page's elements form one such element (one certificate per
    page of a printed book). Bytes in, bytes out; a file is rewritten in place."""
    opened = (
        pikepdf.open(io.BytesIO(source))
        if isinstance(source, bytes)
        else pikepdf.open(source, allow_overwriting_input=True)
    )
    with opened as pdf:
        pages = marks.finished_pages
        if len(pages) != len(pdf.pages):
            raise ValueError(f"{len(pages)} pages marked, {len(pdf.pages)} in the file")
        _tree(pdf, pages, group)
        identify(pdf, description)
        if isinstance(source, bytes):
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
        pdf.save(source)
        return None


def _tree(pdf: pikepdf.Pdf, pages: list[list[Element]], group: str | None) -> None:
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array())
    )
    numbers = Array()
    for index, (page, elements) in enumerate(zip(pdf.pages, pages, strict=True)):
        page.obj.StructParents = index
        page.obj.Tabs = Name.S
        parent = document
        if group:
            parent = pdf.make_indirect(
                Dictionary(Type=Name.StructElem, S=Name("/" + group), P=document, K=Array())
            )
            document.K.append(parent)
        by_mcid = Array()
        for mcid, element in enumerate(elements):
            made = pdf.make_indirect(
                Dictionary(
                    Type=Name.StructElem, S=Name("/" + element.role), P=parent, Pg=page.obj, K=mcid
                )
            )
            if element.alt is not None:
                made.Alt = String(element.alt)
            if element.bbox is not None:
                made.A = Dictionary(O=Name.Layout, BBox=Array(element.bbox))
            parent.K.append(made)
            by_mcid.append(made)
        numbers.extend([index, by_mcid])
    root.K = Array([document])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=numbers))
    root.ParentTreeNextKey = len(pages)
    pdf.Root.StructTreeRoot = root


def identify(pdf: pikepdf.Pdf, description: Description) -> None:
    """Language, title shown by viewers, marked, and title, author, creator, producer and
    PDF/UA-1 in the document information and the XMP."""
    pdf.Root.Lang = String(description.lang)
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.docinfo.Title = String(description.title)
    pdf.docinfo.Author = String(description.author)
    pdf.docinfo.Subject = String(description.subject)
    pdf.docinfo.Creator = String(xmp.CREATOR)
    pdf.docinfo.Producer = String(PRODUCER)
    packet = xmp.packet(description.title, description.author, description.subject, PRODUCER)
    pdf.Root.Metadata = pdf.make_stream(packet, Type=Name.Metadata, Subtype=Name.XML)
