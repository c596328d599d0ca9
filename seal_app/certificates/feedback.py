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

from flask import current_app
from flask_babel import format_datetime
from weasyprint.document import Document

from seal_app import charts, pdf
from seal_app.applications.models import Application
from seal_app.catalogue.award import AwardAssessment, assess
from seal_app.catalogue.model import Area, Catalogue, Criterion
from seal_app.certificates.models import Decision
from seal_app.documents import html
from seal_app.formatting import two_decimals
from seal_app.reviews import consensus


@dataclass(frozen=True)
class FeedbackRow:
    criterion: Criterion
    self_rating: int | None
    agreed: int | None
    reason: str = ""  # the jury's reason for a divergent criterion, if the office shares it


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
    levels = consensus.jury_levels(application.id)
    agreed = {code: level.level for code, level in levels.items()}
    shared = set(decision.shared_reasons or ())
    texts = decision.shared_texts or {}  # the school's wording; before it: the jury's reason
    reasons = {
        code: texts.get(code) or level.note for code, level in levels.items() if code in shared
    }
    ratings = consensus.self_ratings(application.id)
    areas = tuple(
        (
            area,
            tuple(
                FeedbackRow(
                    item, ratings.get(item.code), agreed.get(item.code), reasons.get(item.code, "")
                )
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
    return charts.area_chart(
        bars, feedback.catalogue.top_level, axis_title, font_name=font_name, number=number
    )


# --- the PDF ----------------------------------------------------------------------------------


def feedback_pdf(feedback: Feedback) -> bytes:
    """The feedback letter as a tagged A4 PDF/A-2u (a record), the chart as vector graphics
    with its numbers in a table beside it."""
    return html.write(feedback_layout(feedback), archival=True)


def feedback_layout(feedback: Feedback) -> Document:
    """The letter laid out into pages, for ``feedback_pdf`` and the printed bundle."""
    school, round_ = feedback.application.school, feedback.application.round
    top_level = feedback.catalogue.top_level
    pdf.register_fonts()  # the chart measures its text in the documents' font
    drawing = levels_drawing(
        feedback, f"Mittlere vereinbarte Stufe je Bereich (0 bis {top_level})", pdf.REGULAR
    )
    return html.layout(
        "documents/feedback.html",
        title=f"Rückmeldung der Jury – {school.name}",
        author=current_app.config["OFFICE_NAME"],
        subject=f"Gütesiegel „Sicherheit macht Schule“ – {round_.title}",
        footer_line=footer_line(feedback),
        feedback=feedback,
        released=_day(feedback.decision.released_at),
        levels=[(item.area, two_decimals(item.mean)) for item in feedback.area_levels],
        assessment=feedback.assessment,
        advice=[
            (area, feedback.advice_of(area))
            for area in feedback.catalogue.areas
            if feedback.advice_of(area)
        ],
        chart_src=charts.data_uri(drawing),
        chart_width=drawing.width,
        chart_alt=_chart_alt(feedback),
    )


def _chart_alt(feedback: Feedback) -> str:
    values = "; ".join(
        f"{item.area.code}: {two_decimals(item.mean)}" for item in feedback.area_levels
    )
    return (
        f"Balkendiagramm der mittleren vereinbarten Stufe je Bereich "
        f"(0 bis {feedback.catalogue.top_level}): {values}. Dieselben Zahlen stehen in der "
        "Tabelle darunter."
    )


def footer_line(feedback: Feedback) -> str:
    school, round_ = feedback.application.school, feedback.application.round
    return pdf.footer_text(school.name, f"{round_.title} · Rückmeldung der Jury")


def _day(moment: datetime) -> str:
    return format_datetime(moment, "d. MMMM y", rebase=True)
