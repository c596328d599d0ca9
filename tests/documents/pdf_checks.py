"""Checks of a tagged PDF as an accessibility checker (or a screen reader) would read it:
the structure tree, marked content on every page, language, title, identification, fonts.

Our own checks with pikepdf and poppler's tools; they follow the rules of PDF/UA-1 (ISO 14289)
and the Matterhorn protocol that a machine can decide, not a full validator."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

# Operators that put something on the page: text shown, paths painted, images, shadings.
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI", "Do"}


@dataclass(frozen=True)
class Element:
    role: str
    depth: int
    alt: str | None  # a Figure's alternative text
    id: str | None
    scope: str | None  # a header cell's /Column or /Row


@dataclass
class Report:
    """What was found in one PDF."""

    elements: list[Element] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)  # painting outside marked content
    unmapped: list[str] = field(default_factory=list)  # marked content without its element

    @property
    def roles(self) -> list[str]:
        return [element.role for element in self.elements]

    def of_role(self, role: str) -> list[Element]:
        return [element for element in self.elements if element.role == role]


def read(data: bytes) -> Report:
    report = Report()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.StructTreeRoot
        report.elements = list(_elements(tree.K, 0))
        parents = _parent_tree(tree)
        for number, page in enumerate(pdf.pages, start=1):
            _walk(page.obj, f"page {number}", parents, page.obj.get("/StructParents"), report)
    return report


def _elements(kids, depth: int) -> Iterator[Element]:
    if isinstance(kids, pikepdf.Dictionary):
        kids = [kids]
    if not isinstance(kids, pikepdf.Array | list):
        return
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            attributes = kid.get("/A", pikepdf.Dictionary())
            scope = attributes.get("/Scope") if isinstance(attributes, pikepdf.Dictionary) else None
            yield Element(
                role=str(kid.S)[1:],
                depth=depth,
                alt=str(kid.Alt) if "/Alt" in kid else None,
                id=str(kid.ID) if "/ID" in kid else None,
                scope=str(scope) if scope is not None else None,
            )
            yield from _elements(kid.get("/K"), depth + 1)


def _parent_tree(tree: pikepdf.Dictionary) -> dict[int, list]:
    numbers = tree.ParentTree.Nums
    return {
        int(numbers[index]): numbers[index + 1]
        for index in range(0, len(numbers), 2)
        if isinstance(numbers[index + 1], pikepdf.Array)
    }


def _walk(owner, where: str, parents: dict, key, report: Report) -> None:
    """Every painting operator of ``owner`` (a page or a form XObject) inside marked content;
    every MCID mapped to an element in the parent tree (under the owner's ``key``)."""
    mapped = parents.get(int(key), []) if key is not None else []
    stack: list[bool] = []  # per open sequence: content (True) or an artifact
    for operands, operator in pikepdf.parse_content_stream(owner):
        name = str(operator)
        if name in ("BDC", "BMC"):
            stack.append(str(operands[0]) != "/Artifact")
            if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = operands[1].get("/MCID")
                if mcid is not None and (int(mcid) >= len(mapped) or mapped[int(mcid)] is None):
                    report.unmapped.append(f"{where}: MCID {int(mcid)}")
        elif name == "EMC":
            stack.pop()
        elif name == "Do" and not stack:
            form = owner.Resources.XObject[operands[0]]
            if form.get("/Subtype") != "/Form":
                report.unmarked.append(f"{where}: image {operands[0]}")
            else:  # a form drawn outside marked content must be marked inside
                inner = f"{where} {operands[0]}"
                _walk(form, inner, parents, form.get("/StructParents"), report)
        elif name in PAINTING and not stack:
            report.unmarked.append(f"{where}: {name}")


# --- metadata and poppler ---------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    lang: str | None
    marked: bool
    display_title: bool
    info_title: str | None
    xmp: dict[str, str]


def catalogue(data: bytes) -> Catalogue:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            xmp = {
                key: str(meta.get(key))
                for key in ("dc:title", "pdfuaid:part", "pdfaid:part", "pdfaid:conformance")
                if meta.get(key) is not None
            }
        return Catalogue(
            lang=str(root.Lang) if "/Lang" in root else None,
            marked=bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
            info_title=str(pdf.docinfo.Title) if "/Title" in pdf.docinfo else None,
            xmp=xmp,
        )


def poppler(tool: str, data: bytes, *options: str) -> str:
    """The output of a poppler tool reading ``data`` (pdftotext writes to standard output)."""
    output = ["-"] if tool == "pdftotext" else []
    return subprocess.run(
        [tool, *options, "-", *output], input=data, capture_output=True, check=True
    ).stdout.decode()


def page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def tagged(data: bytes) -> bool:
    return "Tagged:          yes" in poppler("pdfinfo", data)


def struct_text(data: bytes) -> str:
    """The text in the order of the structure tree, as ``pdfinfo -struct-text`` reads it."""
    lines = poppler("pdfinfo", data, "-struct-text").splitlines()
    return " ".join(line.strip().strip('"') for line in lines if line.strip().startswith('"'))


def unembedded_fonts(data: bytes) -> list[str]:
    rows = poppler("pdffonts", data).splitlines()[2:]
    return [row for row in rows if row.split()[-5] != "yes"]  # emb sub uni object generation


def in_order(text: str, phrases: list[str]) -> bool:
    """Whether the phrases occur in ``text`` in this order."""
    position = 0
    for phrase in phrases:
        found = text.find(phrase, position)
        if found < 0:
            return False
        position = found + len(phrase)
    return True
