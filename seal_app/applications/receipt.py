"""The German receipt (Eingangsbestätigung) a school keeps after submitting its application."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import format_datetime
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from seal_app import pdf
from seal_app.applications.models import Application, EvidenceFile
from seal_app.catalogue.model import Catalogue
from seal_app.formatting import file_size


def receipt_pdf(application: Application, catalogue: Catalogue) -> bytes:
    styles = pdf.styles()
    buffer = io.BytesIO()
    school, round_ = application.school, application.round
    document = SimpleDocTemplate(
        buffer,
        pagesize=pdf.PAGE_SIZE,
        leftMargin=pdf.MARGIN,
        rightMargin=pdf.MARGIN,
        topMargin=pdf.MARGIN,
        bottomMargin=pdf.MARGIN + 5 * mm,
        title=f"Eingangsbestätigung – {school.name}",
        author=current_app.config["OFFICE_NAME"],
        lang="de-DE",
        initialFontName=pdf.REGULAR,  # no un-embedded Helvetica anywhere in the file
    )
    submitted = format_datetime(application.submitted_at, "d. MMMM y, HH:mm 'Uhr'", rebase=True)
    story = [
        Paragraph("Eingangsbestätigung", styles["title"]),
        Paragraph(
            f"Gütesiegel „Sicherheit macht Schule“ – {escape(round_.title)}", styles["heading"]
        ),
        _facts_table(
            [
                ("Schule", f"{school.name} (Schulnummer {school.school_number})"),
                ("Anschrift", f"{school.street}, {school.postal_code} {school.town}"),
                ("Antrag", f"{application.kind.label}, Nr. {application.id}"),
                ("Eingereicht am", submitted),
                ("Kriterienkatalog", f"Version {catalogue.version}"),
            ]
        ),
        Paragraph("Selbsteinschätzung", styles["heading"]),
    ]
    levels = {level.value: level.label for level in catalogue.scale}
    for area in catalogue.areas:
        story.append(Paragraph(f"{area.code}. {escape(area.title)}", styles["subheading"]))
        for criterion in area.criteria:
            story.append(KeepTogether(_criterion_block(application, criterion, levels)))
    story += [Paragraph("Voten und Zustimmungen", styles["heading"]), _votes_table(application)]
    story += [Paragraph("Nachweise", styles["heading"]), _files_table(application.files)]
    footer_text = f"{school.name} · {round_.title} · eingereicht am {submitted}"
    document.build(
        story,
        onFirstPage=lambda c, d: pdf.footer(c, d, footer_text),
        onLaterPages=lambda c, d: pdf.footer(c, d, footer_text),
    )
    return buffer.getvalue()


def _facts_table(rows: list[tuple[str, str]]) -> Table:
    styles = pdf.styles()
    data = [
        [
            Paragraph(f"<b>{escape(key)}</b>", styles["body"]),
            Paragraph(escape(value), styles["body"]),
        ]
        for key, value in rows
    ]
    table = Table(data, colWidths=[40 * mm, None], hAlign="LEFT")
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), pdf.REGULAR, 9), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    return table


def _criterion_block(application: Application, criterion, levels: dict) -> list:
    styles = pdf.styles()
    answer = application.answer_for(criterion.code)
    rating = (
        f"Stufe {answer.self_rating} – {levels[answer.self_rating]}"
        if answer and answer.self_rating is not None
        else "nicht eingeschätzt"
    )
    block = [
        Paragraph(
            f"<b>{criterion.code} {escape(criterion.title)}</b> – {escape(rating)}", styles["body"]
        )
    ]
    if answer:
        for label, text in (
            ("Was die Schule tut", answer.measures),
            ("Seit", answer.since),
            ("Beteiligte", answer.participants),
            ("Partner", answer.partners),
        ):
            if text:
                block.append(Paragraph(f"<i>{label}:</i> {_multiline(text)}", styles["body"]))
    block.append(Spacer(1, 2 * mm))
    return block


def _multiline(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines())


def _votes_table(application: Application) -> Table:
    styles = pdf.styles()
    data = [["Votum", "Datum", "Dokument"]]
    for vote in application.votes:
        data.append(
            [
                Paragraph(escape(vote.kind.label), styles["small"]),
                vote.decided_on.strftime("%d.%m.%Y"),
                Paragraph(escape(vote.document.display_name), styles["small"]),
            ]
        )
    table = Table(data, colWidths=[65 * mm, 25 * mm, None], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style())
    return table


def _files_table(files: list[EvidenceFile]) -> Table:
    styles = pdf.styles()
    data = [["Kriterium", "Datei", "Größe", "SHA-256"]]
    for file in sorted(files, key=lambda f: (f.criterion_code or "~", f.display_name)):
        if file.staged:
            continue
        data.append(
            [
                file.criterion_code or "Votum",
                Paragraph(escape(file.display_name), styles["small"]),
                file_size(file.size),
                Paragraph(file.sha256, styles["small"]),
            ]
        )
    table = Table(data, colWidths=[18 * mm, 55 * mm, 18 * mm, None], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style())
    return table
