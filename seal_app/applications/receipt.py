"""The German receipt (Eingangsbestätigung) a school keeps after submitting its application.

Made once when the application is submitted (and once more for each answered request for
more); the stored file is the document of record and is what the school downloads.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import format_date, format_datetime
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from seal_app import pdf
from seal_app.applications.models import Application, EvidenceFile, EvidenceRequest
from seal_app.catalogue.model import Catalogue
from seal_app.formatting import file_size

# A paragraph split over pages is wrapped again on each page: keep each one small.
LINES_PER_PARAGRAPH = 20
TEXT_FIELDS = (
    ("measures", "Was die Schule tut"),
    ("since", "Seit"),
    ("participants", "Beteiligte"),
    ("partners", "Partner"),
)


def receipt_pdf(
    application: Application,
    catalogue: Catalogue,
    issued_at: datetime,
    answered: EvidenceRequest | None = None,
) -> bytes:
    """The receipt issued at ``issued_at``; ``answered``: the request whose answer it confirms."""
    school, round_ = application.school, application.round
    submitted = _when(application.submitted_at or issued_at)
    story = _front(application, catalogue, submitted, issued_at, answered)
    story += _self_assessment(application, catalogue)
    story += _votes(application)
    story += _requests(application)
    story += _files(application.files)
    story += _closing()
    rest = f"{round_.title} · eingereicht am {submitted}"
    if answered is not None:  # the submission time is on page 1; the footer fits one line
        rest = f"{round_.title} · Ergänzung vom {_when(issued_at)}"
    return pdf.build(
        story,
        title=f"Eingangsbestätigung – {school.name}",
        author=current_app.config["OFFICE_NAME"],
        footer_line=pdf.footer_text(school.name, rest),
    )


def _when(moment: datetime) -> str:
    return format_datetime(moment, "d. MMMM y, HH:mm 'Uhr'", rebase=True)


def _day(day: date | datetime) -> str:
    """A date in the same style as ``_when``: 25. November 2026."""
    if isinstance(day, datetime):
        return format_datetime(day, "d. MMMM y", rebase=True)
    return format_date(day, "d. MMMM y")


def _front(
    application: Application,
    catalogue: Catalogue,
    submitted: str,
    issued_at: datetime,
    answered: EvidenceRequest | None,
) -> list:
    styles = pdf.styles()
    school, round_ = application.school, application.round
    facts = [
        ("Schule", f"{school.name} (Schulnummer {school.school_number})"),
        ("Anschrift", f"{school.street}, {school.postal_code} {school.town}"),
        ("Antrag", f"{application.kind.label}, Nr. {application.id}"),
        ("Eingereicht am", submitted),
    ]
    if answered is not None:
        facts.append(
            (
                "Ergänzt am",
                f"{_when(issued_at)}\nauf die Nachforderung vom {_day(answered.created_at)}",
            )
        )
    facts += [
        ("Kriterienkatalog", f"Version {catalogue.version}"),
        ("Ausgestellt von", _office_contact()),
    ]
    return [
        Paragraph("Eingangsbestätigung", styles["title"]),
        Paragraph(
            f"Gütesiegel „Sicherheit macht Schule“ – {escape(round_.title)}", styles["heading"]
        ),
        _facts_table(facts),
    ]


def _office_contact() -> str:
    config = current_app.config
    return "\n".join(
        [
            config["OFFICE_NAME"],
            *config["OFFICE_ADDRESS"].splitlines(),
            f"Telefon: {config['OFFICE_PHONE']}",
            f"E-Mail: {config['OFFICE_EMAIL']}",
        ]
    )


def _facts_table(rows: list[tuple[str, str]]) -> Table:
    styles = pdf.styles()
    data = [
        [
            Paragraph(f"<b>{escape(key)}</b>", styles["body"]),
            Paragraph(_multiline(value), styles["body"]),
        ]
        for key, value in rows
    ]
    table = Table(data, colWidths=[40 * mm, None], hAlign="LEFT")
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), pdf.REGULAR, 9), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    return table


def _self_assessment(application: Application, catalogue: Catalogue) -> list:
    styles = pdf.styles()
    levels = {level.value: level.label for level in catalogue.scale}
    story: list = [Paragraph("Selbsteinschätzung", styles["heading"])]
    for area in catalogue.areas:
        story.append(Paragraph(f"{area.code}. {escape(area.title)}", styles["subheading"]))
        for criterion in area.criteria:
            story += _criterion_block(application, criterion, levels)
    return story


def _criterion_block(application: Application, criterion, levels: dict) -> list:
    """The criterion's heading kept with its first line; long texts flow over pages."""
    styles = pdf.styles()
    answer = application.answer_for(criterion.code)
    rating = (
        f"Stufe {answer.self_rating} – {levels[answer.self_rating]}"
        if answer and answer.self_rating is not None
        else "nicht eingeschätzt"
    )
    block: list = [
        Paragraph(
            f"<b>{criterion.code} {escape(criterion.title)}</b> – {escape(rating)}",
            styles["item_heading"],
        )
    ]
    for name, label in TEXT_FIELDS:
        text = getattr(answer, name) if answer else ""
        if text:
            block += _labelled_text(label, text)
    block.append(Spacer(1, 2 * mm))
    return block


def _labelled_text(label: str, text: str) -> list:
    """The first line on its own (a heading before it keeps only that line with it), then one
    paragraph per block of lines, which flows over pages."""
    styles = pdf.styles()
    first, _newline, rest = text.partition("\n")
    story = [Paragraph(f"<i>{escape(label)}:</i> {escape(first)}", styles["body"])]
    for block in re.split(r"\n[ \t]*\n", rest):
        lines = block.strip("\n").splitlines()
        for start in range(0, len(lines), LINES_PER_PARAGRAPH):
            chunk = "\n".join(lines[start : start + LINES_PER_PARAGRAPH])
            if chunk.strip():
                style = styles["body"] if start else styles["text_block"]
                story.append(Paragraph(_multiline(chunk), style))
    return story


def _multiline(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines())


def _votes(application: Application) -> list:
    styles = pdf.styles()
    data = [["Votum", "Datum", "Dokument"]]
    for vote in application.votes:
        data.append(
            [
                Paragraph(escape(vote.kind.label), styles["small"]),
                _day(vote.decided_on),
                Paragraph(escape(vote.document.display_name), styles["small"]),
            ]
        )
    table = Table(data, colWidths=[62 * mm, 30 * mm, None], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style())
    return [*pdf.section_heading("Voten und Zustimmungen"), table]


def _requests(application: Application) -> list:
    """Each request for more with the school's answer, as far as answered."""
    styles = pdf.styles()
    answered = [item for item in application.evidence_requests if item.answered_at]
    if not answered:
        return []
    story: list = [Paragraph("Nachforderungen und Ergänzungen", styles["heading"])]
    for item in answered:
        story.append(
            Paragraph(
                f"Nachforderung vom {_day(item.created_at)}, "
                f"beantwortet am {_when(item.answered_at)}",
                styles["subheading"],
            )
        )
        story += _labelled_text("Nachforderung", item.message)
        for response in item.responses:
            if response.text:
                story += _labelled_text(f"Ergänzung zu {response.criterion_code}", response.text)
    return story


def _files(files: list[EvidenceFile]) -> list:
    styles = pdf.styles()
    data = [["Kriterium", "Datei, Beschreibung und Prüfsumme (SHA-256)", "Größe"]]
    for file in sorted(files, key=lambda f: (f.criterion_code or "~", f.display_name)):
        if file.staged:
            continue
        name = f"<b>{escape(file.display_name)}</b>"
        if file.description:
            name += f"<br/>{escape(file.description)}"
        name += f'<br/><font size="6.5">SHA-256: {file.sha256}</font>'  # one line, full width
        data.append(
            [
                file.criterion_code or "Votum",
                Paragraph(name, styles["small"]),
                file_size(file.size),
            ]
        )
    table = Table(data, colWidths=[18 * mm, None, 18 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style())
    return [*pdf.section_heading("Nachweise"), table]


def _closing() -> list:
    styles = pdf.styles()
    config = current_app.config
    return [
        Paragraph("Fragen", styles["heading"]),
        Paragraph(
            "Diese Bestätigung belegt den Eingang des Antrags mit den oben genannten Angaben "
            "und Dateien; über das Siegel entscheidet die Jury. Bei Fragen wenden Sie sich an: "
            f"{escape(config['OFFICE_NAME'])}, Telefon {escape(config['OFFICE_PHONE'])}, "
            f"E-Mail {escape(config['OFFICE_EMAIL'])}.",
            styles["body"],
        ),
    ]
