"""The written feedback (Rückmeldung) every school receives once the decisions are released,
as a page and as an A4 PDF: the decision and its reasons, strengths, the agreed level per
criterion beside the school's own rating, the levels per area as a chart with the same numbers
in a table, and the advice per area.

It speaks for the jury as a whole: no assessor's name and no single assessor's score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import format_datetime
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from seal_app import pdf
from seal_app.applications.models import Application
from seal_app.catalogue.award import AwardAssessment, assess
from seal_app.catalogue.model import Area, Catalogue, Criterion
from seal_app.certificates.models import Decision
from seal_app.formatting import two_decimals
from seal_app.reviews import chart, consensus


@dataclass(frozen=True)
class FeedbackRow:
    criterion: Criterion
    self_rating: int | None
    agreed: int | None


@dataclass(frozen=True)
class AreaLevel:
    area: Area
    mean: Fraction | None  # mean of the agreed levels of the area's criteria


@dataclass(frozen=True)
class Feedback:
    application: Application
    catalogue: Catalogue
    decision: Decision
    areas: tuple[tuple[Area, tuple[FeedbackRow, ...]], ...]
    area_levels: tuple[AreaLevel, ...]
    assessment: AwardAssessment

    def advice_of(self, area: Area) -> str:
        return (self.decision.advice or {}).get(area.code, "").strip()


def feedback_of(application: Application, catalogue: Catalogue, decision: Decision) -> Feedback:
    """The feedback on a decided application, from the agreed levels (plain values)."""
    agreed = {code: level.level for code, level in consensus.jury_levels(application.id).items()}
    ratings = consensus.self_ratings(application.id)
    areas = tuple(
        (
            area,
            tuple(
                FeedbackRow(item, ratings.get(item.code), agreed.get(item.code))
                for item in area.criteria
            ),
        )
        for area in catalogue.areas
    )
    area_levels = tuple(
        AreaLevel(area, consensus.mean_level([r.agreed for r in rows if r.agreed is not None]))
        for area, rows in areas
    )
    return Feedback(
        application=application,
        catalogue=catalogue,
        decision=decision,
        areas=areas,
        area_levels=area_levels,
        assessment=assess(catalogue, agreed),
    )


def levels_drawing(feedback: Feedback, axis_title: str, font_name: str = "Helvetica", number=None):
    """The chart of the agreed levels per area: the drawing of the jury meeting's chart."""
    bars = [(item.area.code, item.mean) for item in feedback.area_levels]
    return chart.area_chart(
        bars, feedback.catalogue.top_level, axis_title, font_name=font_name, number=number
    )


# --- the PDF ----------------------------------------------------------------------------------


def feedback_pdf(feedback: Feedback) -> bytes:
    """The feedback letter as an A4 PDF with embedded fonts and the chart as vector graphics."""
    school, round_ = feedback.application.school, feedback.application.round
    return pdf.build(
        feedback_story(feedback),
        title=f"Rückmeldung der Jury – {school.name}",
        author=current_app.config["OFFICE_NAME"],
        subject=f"Gütesiegel „Sicherheit macht Schule“ – {round_.title}",
        footer_line=footer_line(feedback),
    )


def feedback_story(feedback: Feedback) -> list:
    """The letter's content, for ``pdf.build`` or a ``pdf.Binder``."""
    return _front(feedback) + _levels(feedback) + _criteria(feedback) + _advice(feedback)


def footer_line(feedback: Feedback) -> str:
    school, round_ = feedback.application.school, feedback.application.round
    return pdf.footer_text(school.name, f"{round_.title} · Rückmeldung der Jury")


def _day(moment: datetime) -> str:
    return format_datetime(moment, "d. MMMM y", rebase=True)


def _text(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines())


def _front(feedback: Feedback) -> list:
    styles = pdf.styles()
    application, decision = feedback.application, feedback.decision
    school = application.school
    story = [
        Paragraph("Rückmeldung der Jury", styles["title"]),
        Paragraph(
            f"Gütesiegel „Sicherheit macht Schule“ – {escape(application.round.title)}",
            styles["heading"],
        ),
        Paragraph(
            f"{escape(school.name)}, {escape(school.street)}, "
            f"{escape(school.postal_code)} {escape(school.town)}",
            styles["body"],
        ),
        Paragraph(
            f"<b>Entscheidung vom {_day(decision.released_at)}: "
            f"{escape(decision.outcome.label)}</b>",
            styles["subheading"],
        ),
        Paragraph(_text(decision.rationale), styles["body"]),
    ]
    if decision.strengths:
        story += [
            Paragraph("Stärken der Schule", styles["subheading"]),
            Paragraph(_text(decision.strengths), styles["body"]),
        ]
    return story


def _levels(feedback: Feedback) -> list:
    styles = pdf.styles()
    assessment = feedback.assessment
    data = [["Bereich", "Mittlere vereinbarte Stufe"]]
    data += [
        [
            Paragraph(f"{item.area.code}. {escape(item.area.title)}", styles["small"]),
            two_decimals(item.mean),
        ]
        for item in feedback.area_levels
    ]
    table = Table(data, colWidths=[None, 45 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style())
    return [
        *pdf.section_heading("Stufen je Bereich"),
        levels_drawing(
            feedback,
            f"Mittlere vereinbarte Stufe je Bereich (0 bis {feedback.catalogue.top_level})",
            font_name=pdf.REGULAR,
        ),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 2 * mm),
        Paragraph(
            f"Punkte nach der Vergaberegel: {assessment.points} von {assessment.maximum} "
            f"({assessment.percent}\u00a0%); nötig sind mindestens "
            f"{assessment.required_percent}\u00a0%.",
            styles["body"],
        ),
    ]


def _criteria(feedback: Feedback) -> list:
    styles = pdf.styles()
    data = [["Kriterium", "Ihre Einschätzung", "Stufe der Jury"]]
    for _area, rows in feedback.areas:
        for row in rows:
            data.append(
                [
                    Paragraph(
                        f"{row.criterion.code} {escape(row.criterion.title)}", styles["small"]
                    ),
                    "–" if row.self_rating is None else str(row.self_rating),
                    "–" if row.agreed is None else str(row.agreed),
                ]
            )
    table = Table(data, colWidths=[None, 30 * mm, 28 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style())
    return [*pdf.section_heading("Stufen je Kriterium"), table]


def _advice(feedback: Feedback) -> list:
    styles = pdf.styles()
    story: list = []
    for area in feedback.catalogue.areas:
        advice = feedback.advice_of(area)
        if advice:
            story += [
                Paragraph(f"{area.code}. {escape(area.title)}", styles["subheading"]),
                Paragraph(_text(advice), styles["body"]),
            ]
    if not story:
        return []
    return [Paragraph("Hinweise für Ihre weitere Arbeit", styles["heading"]), *story]
