"""The documents of a round written out: each certificate or feedback letter into one PDF for
the printer and, as issued, into a ZIP of single PDFs."""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import current_app

from seal_app.applications.models import Application
from seal_app.certificates import issuing, letters
from seal_app.certificates.document import CertificateBook
from seal_app.certificates.models import Certificate, Decision, PrintKind
from seal_app.documents import binding, marked
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.uploads import store
from seal_app.zip_files import add_member, ascii_name

SUBJECT = "Gütesiegel „Sicherheit macht Schule“"
Document = tuple[str, Callable[[zipfile.ZipFile, str], None]]


def write_round(
    round_: Round,
    kind: PrintKind,
    ids: list[int],
    pdf_target: Path,
    zip_target: Path | None,
    advance: Callable[[int], None],
) -> None:
    """Write the documents ``ids`` into one PDF and (if a target is given) a ZIP; ``advance``
    is told the count after each document."""
    title = f"{'Urkunden' if kind is PrintKind.CERTIFICATES else 'Rückmeldungen der Jury'} – "
    title += round_.title
    documents = (
        _certificates(pdf_target, title, ids)
        if kind is PrintKind.CERTIFICATES
        else _letters(pdf_target, title, ids)
    )
    with (
        zipfile.ZipFile(zip_target, "w", zipfile.ZIP_DEFLATED)
        if zip_target
        else contextlib.nullcontext()
    ) as archive:
        for count, (name, write) in enumerate(documents, start=1):
            if archive is not None:
                write(archive, name)
            advance(count)


def _certificates(target: Path, title: str, ids: list[int]) -> Iterator[Document]:
    """Each certificate: drawn into the book, its signed file copied into the ZIP."""
    book = CertificateBook(target, title=title, author=_author(), subject=SUBJECT)
    for certificate_id in ids:
        certificate = db.session.get(Certificate, certificate_id)
        book.add(issuing.text_of(certificate))
        source = store.path_of(certificate.stored_name)
        yield (
            issuing.file_name(certificate),
            lambda archive, name, s=source: add_member(archive, name, s),
        )
    book.close()


def _letters(target: Path, title: str, ids: list[int]) -> Iterator[Document]:
    """Each letter: made once, as the school downloads it, into the ZIP and bound into the
    one PDF (each keeps its pages, page numbers and structure)."""
    binder = binding.Binder(target, marked.Description(title, _author(), SUBJECT))
    for decision_id in ids:
        decision = db.session.get(Decision, decision_id)
        application = decision.application
        data = letters.letter_bytes(decision)  # the signed letter of record
        binder.add(data)
        yield letter_name(application), lambda archive, name, d=data: add_member(archive, name, d)
    binder.close()


def letter_name(application: Application) -> str:
    """``Rueckmeldung-2027-75008-Grundschule-Bergring.pdf``: readable in any ZIP program."""
    school = application.school
    name = ascii_name(school.name)
    return f"Rueckmeldung-{application.round.year}-{school.school_number}-{name}.pdf"


def _author() -> str:
    return current_app.config["OFFICE_NAME"]
