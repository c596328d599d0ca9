"""Tagged PDFs bound into one tagged PDF (the printed feedback letters of a round), and a
tagged overlay stamped onto every page of a tagged PDF (the revoked copy), with pikepdf.

Binding keeps each document as it is (its pages, footers, page numbers) and its structure:
the document's ``Document`` element becomes an article (``Art``) of the bound file, its parent
tree entries are renumbered after those before it, and its element ids made unique.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from seal_app.documents import marked


class Binder:
    """Tagged PDFs bound one after the other into ``target`` (written by ``close``). The
    documents stay open until then: pikepdf copies their page contents when writing."""

    def __init__(self, target: Path, description: marked.Description) -> None:
        self.target, self.description = target, description
        self.pdf = pikepdf.new()
        self.root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root, K=Array())
        )
        self.numbers = Array()
        self.next_key = 0
        self.sources: list[pikepdf.Pdf] = []

    def add(self, data: bytes) -> None:
        source = pikepdf.open(io.BytesIO(data))
        self.sources.append(source)
        offset = self.next_key
        tree = source.Root.StructTreeRoot
        for page in source.pages:
            self.pdf.pages.append(page)
            copied = self.pdf.pages[-1].obj
            copied.StructParents = int(page.obj.StructParents) + offset
            for annotation in copied.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        for kid in tree.K:
            del kid["/P"]  # else copying would bring the other file's tree root along
            article = self.pdf.copy_foreign(kid)
            article.S = Name.Art
            article.P = self.document
            self.document.K.append(article)
            _unique_ids(article, prefix=f"{len(self.sources)}-")
        numbers = tree.ParentTree.Nums
        for index in range(0, len(numbers), 2):
            key = int(numbers[index]) + offset
            self.numbers.extend([key, self._copy(numbers[index + 1])])
            self.next_key = max(self.next_key, key + 1)

    def _copy(self, value):
        """A parent tree value: one element, or an array of them (and nulls) by MCID."""
        if isinstance(value, pikepdf.Array):
            return Array([self._copy(item) for item in value])
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return self.pdf.copy_foreign(value)
        return value

    def close(self) -> None:
        self.root.K = Array([self.document])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=self.numbers))
        self.root.ParentTreeNextKey = self.next_key
        self.pdf.Root.StructTreeRoot = self.root
        marked.identify(self.pdf, self.description)
        self.pdf.save(self.target)
        self.pdf.close()
        for source in self.sources:
            source.close()


def _unique_ids(element: pikepdf.Dictionary, prefix: str) -> None:
    """Prefix the ids of header cells, and the references to them, below ``element``."""
    stack = [element]
    while stack:
        item = stack.pop()
        if "/ID" in item:
            item.ID = String(prefix + str(item.ID))
        attributes = item.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array([String(prefix + str(h)) for h in attributes.Headers])
        kids = item.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
        elif isinstance(kids, pikepdf.Dictionary) and "/S" in kids:
            stack.append(kids)


def stamp(original: bytes, overlay: bytes, marks: marked.Marks, title: str, subject: str) -> bytes:
    """``original`` (tagged) with page n of ``overlay`` (drawn with ``marks``) stamped over its
    page n, as a form XObject whose elements are read first; the original's annotations and
    form fields (a signature) are dropped. A new file, not an incremental update."""
    with pikepdf.open(io.BytesIO(original)) as pdf, pikepdf.open(io.BytesIO(overlay)) as over:
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0]
        numbers = tree.ParentTree.Nums
        key = int(tree.get("/ParentTreeNextKey", len(numbers) // 2))
        stamped: list[pikepdf.Dictionary] = []
        for index, page in enumerate(pdf.pages):
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            form = pdf.copy_foreign(over.make_indirect(over.pages[index].as_form_xobject()))
            form.StructParents = key
            elements = [
                pdf.make_indirect(
                    Dictionary(
                        Type=Name.StructElem,
                        S=Name("/" + element.role),
                        P=document,
                        Pg=page.obj,
                        K=Dictionary(Type=Name.MCR, MCID=mcid, Pg=page.obj, Stm=form),
                    )
                )
                for mcid, element in enumerate(marks.finished_pages[index])
            ]
            numbers.extend([key, Array(elements)])
            key += 1
            stamped += elements
            name = page.add_resource(form, Name.XObject, prefix="Stamp")
            page.contents_add(pdf.make_stream(f"q {name} Do Q".encode()), prepend=False)
        document.K = Array([*stamped, *document.K])
        tree.ParentTreeNextKey = key
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
        author = str(pdf.docinfo.get("/Author", ""))
        marked.identify(pdf, marked.Description(title, author, subject))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
