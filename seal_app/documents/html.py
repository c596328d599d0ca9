"""The text documents (feedback letter, receipt, notice-board list) laid out from HTML with
WeasyPrint: one template base and style (``templates/documents/``), A4, embedded DejaVu Sans,
numbered pages, tagged as PDF/UA-1; records are PDF/A-2u as well.

WeasyPrint writes the structure tree from the HTML (headings, paragraphs, tables, figures with
their ``alt``), ``/Lang``, ``/MarkInfo`` and ``DisplayDocTitle``. What it leaves out is added
while the file is written (``_finish``): the PDF/UA identification beside the PDF/A one, the
scope of table headers, the page footers marked as page furniture (artifacts) instead of
untied structure, and the app named as creator and producer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pydyf
from flask import render_template
from weasyprint import HTML
from weasyprint import __version__ as weasyprint_version
from weasyprint.document import Document

from seal_app.documents import xmp

ARCHIVAL = "pdf/a-2u"  # records: PDF/A-2 (Unicode text), tagged and PDF/UA-1 as well
ACCESSIBLE = "pdf/ua-1"
PRODUCER = f"{xmp.CREATOR} (WeasyPrint {weasyprint_version})"


def render(template: str, *, archival: bool, footer_line: str, **context) -> bytes:
    """The template (extending ``documents/base.html``) as a tagged A4 PDF with
    ``footer_line`` at the foot of every page beside its number."""
    return write(layout(template, footer_line=footer_line, **context), archival=archival)


def layout(template: str, *, footer_line: str, **context) -> Document:
    """The template laid out into pages (not yet written)."""
    html = render_template(
        template, creator=xmp.CREATOR, footer_css=css_string(footer_line), **context
    )
    return HTML(string=html).render()


def write(document: Document, *, archival: bool) -> bytes:
    variant = ARCHIVAL if archival else ACCESSIBLE
    return document.write_pdf(
        pdf_variant=variant,
        pdf_tags=True,
        finisher=lambda _document, pdf: _finish(pdf, archival),
    )


def css_string(text: str) -> str:
    """``text`` as a CSS string literal inside ``<style>`` (a page footer's ``content``):
    quotes, backslashes and ``<`` escaped, so no text ends the string or the element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return '"' + re.sub(r"[\r\n]+", " ", escaped) + '"'


# --- what WeasyPrint leaves out ----------------------------------------------------------------


def _finish(pdf: pydyf.PDF, archival: bool) -> None:
    pdf.info["Producer"] = pydyf.String(PRODUCER)
    structure = _resolve(pdf, pdf.catalog["StructTreeRoot"])
    reachable = set(_reachable(pdf, structure["K"]))
    _footers_as_artifacts(pdf, structure, reachable)
    _header_scopes(pdf, reachable)
    _identify(pdf, archival)


def _number(reference: str | bytes) -> int:
    """The object number of a reference (``"12 0 R"``, as text or bytes)."""
    if isinstance(reference, bytes):
        reference = reference.decode()
    return int(reference.split()[0])


def _resolve(pdf: pydyf.PDF, reference) -> pydyf.Dictionary:
    return pdf.objects[_number(reference)]


def _reachable(pdf: pydyf.PDF, kids) -> Iterator[int]:
    """Object numbers of every structure element below ``kids``."""
    for kid in kids:
        if isinstance(kid, int):  # a marked-content id
            continue
        number = _number(kid)
        element = pdf.objects[number]
        if element.get("Type") == "/StructElem":
            yield number
            yield from _reachable(pdf, element.get("K", ()))


def _footers_as_artifacts(pdf: pydyf.PDF, structure: pydyf.Dictionary, reachable: set) -> None:
    """WeasyPrint tags the page's margin boxes (footer, page number) as elements outside the
    tree; mark that content as pagination artifacts and drop it from the parent tree."""
    numbers = _resolve(pdf, structure["ParentTree"])["Nums"]
    for page_number, page_reference in enumerate(pdf.page_references):
        entries = numbers[2 * page_number + 1]
        untied = {
            mcid
            for mcid, reference in enumerate(entries)
            if reference not in ("null", b"null") and _number(reference) not in reachable
        }
        if not untied:
            continue
        for mcid in untied:
            entries[mcid] = "null"
        stream = _resolve(pdf, _resolve(pdf, page_reference)["Contents"]).stream
        for index, item in enumerate(stream):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in untied:
                stream[index - 1] = "/Artifact"
                stream[index] = pydyf.Dictionary({"Type": "/Pagination"})


def _header_scopes(pdf: pydyf.PDF, reachable: set) -> None:
    """A header cell in the table's head heads its column, any other its row."""
    for number in reachable:
        element = pdf.objects[number]
        if element["S"] != "/TH":
            continue
        row = _resolve(pdf, element["P"])
        in_head = _resolve(pdf, row["P"])["S"] == "/THead"
        element["A"]["Scope"] = "/Column" if in_head else "/Row"


def _identify(pdf: pydyf.PDF, archival: bool) -> None:
    """PDF/UA-1 in the XMP (WeasyPrint writes one identification only: PDF/A or PDF/UA)."""
    metadata = _resolve(pdf, pdf.catalog["Metadata"])
    content = b"".join(
        part if isinstance(part, bytes) else str(part).encode() for part in metadata.stream
    )
    if archival:
        addition = xmp.pdfua_descriptions(PRODUCER).encode()
    else:  # pdfuaid is there; only the producer is missing
        addition = (
            '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
            f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer></rdf:Description>"
        ).encode()
    metadata.stream = [content.replace(b"</rdf:RDF>", addition + b"</rdf:RDF>", 1)]
