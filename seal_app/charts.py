"""The chart of the mean level per catalogue area, drawn with reportlab's graphics.

One ``Drawing`` serves both media: rendered to SVG for the consensus page and the dashboard,
and drawn into the school's PDF feedback letter. The numbers are
always shown in a table as well: the table is the accessible equivalent of the picture.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from xml.sax.saxutils import escape

from flask import Response
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

BAR_COLOUR = HexColor("#2044aa")  # KERN's primary blue: contrast 8.6:1 on white
TEXT_COLOUR = HexColor("#131525")
GRID_COLOUR = HexColor("#8a8d9e")

WIDTH = 360  # fits a phone (390 px) without scaling the text down
ROW_HEIGHT = 30
LABEL_WIDTH = 34
MARGIN_TOP = 10
MARGIN_BOTTOM = 34
MARGIN_RIGHT = 40
FONT_SIZE = 13


def size(areas: int) -> tuple[int, int]:
    """Width and height of the chart for ``areas`` bars (for the page's ``<img>``)."""
    return WIDTH, MARGIN_TOP + MARGIN_BOTTOM + ROW_HEIGHT * max(areas, 1)


def area_chart(
    bars: Sequence[tuple[str, Fraction | None]],
    top_level: int,
    axis_title: str,
    font_name: str = "Helvetica",
    number: Callable[[float], str] | None = None,
    step: int = 1,
    wide_labels: bool = False,
) -> Drawing:
    """Horizontal bars, one per area (label, mean level or None), on the scale 0–``top_level``
    in steps of ``step``; each bar carries its value as ``number`` writes it (as in the table
    beside the chart), an area without levels shows „–“. ``wide_labels`` makes room for labels
    longer than an area's code (a status name, say)."""
    drawing = Drawing(*size(len(bars)))
    drawing.initialFontName = font_name  # else a PDF names Helvetica, not embedded
    chart = HorizontalBarChart()
    label_width = LABEL_WIDTH
    if wide_labels:
        longest = max((stringWidth(label, font_name, FONT_SIZE) for label, _v in bars), default=0)
        label_width = max(LABEL_WIDTH, round(longest) + 12)
    chart.x, chart.y = label_width, MARGIN_BOTTOM
    chart.width = WIDTH - label_width - MARGIN_RIGHT
    chart.height = ROW_HEIGHT * max(len(bars), 1)
    # reportlab draws the first category at the bottom: reverse, so the list reads top-down.
    ordered = list(reversed(bars))
    chart.data = [[float(value) if value is not None else None for _label, value in ordered]]
    chart.categoryAxis.categoryNames = [label for label, _value in ordered]
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0
    chart.groupSpacing = 8
    _style_axes(chart, top_level, step, font_name)
    chart.barLabelFormat = number or _decimal
    chart.barLabels.fontName, chart.barLabels.fontSize = font_name, FONT_SIZE - 1
    chart.barLabels.fillColor = TEXT_COLOUR
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 4
    drawing.add(chart)
    for index, (_label, value) in enumerate(ordered):
        if value is None:
            y = chart.y + ROW_HEIGHT * index + ROW_HEIGHT / 2 - FONT_SIZE / 3
            drawing.add(
                String(
                    chart.x + 4,
                    y,
                    "–",
                    fontName=font_name,
                    fontSize=FONT_SIZE,
                    fillColor=TEXT_COLOUR,
                )
            )
    drawing.add(
        String(
            chart.x + chart.width / 2,
            4,
            axis_title,
            fontName=font_name,
            fontSize=FONT_SIZE - 1,
            fillColor=TEXT_COLOUR,
            textAnchor="middle",
        )
    )
    return drawing


def _style_axes(chart: HorizontalBarChart, top_level: int, step: int, font_name: str) -> None:
    value_axis = chart.valueAxis
    value_axis.valueMin, value_axis.valueMax, value_axis.valueStep = 0, top_level, step
    value_axis.labels.fontName, value_axis.labels.fontSize = font_name, FONT_SIZE - 1
    value_axis.labels.fillColor = TEXT_COLOUR
    value_axis.strokeColor = GRID_COLOUR
    value_axis.visibleGrid = True
    value_axis.gridStrokeColor = GRID_COLOUR
    value_axis.gridStrokeDashArray = (2, 3)
    category_axis = chart.categoryAxis
    category_axis.labels.fontName, category_axis.labels.fontSize = font_name, FONT_SIZE
    category_axis.labels.fillColor = TEXT_COLOUR
    category_axis.labels.boxAnchor, category_axis.labels.dx = "e", -6
    category_axis.strokeColor = GRID_COLOUR
    category_axis.visibleTicks = False


def _decimal(value: float) -> str:
    """As the table beside it shows the number: two places, decimal comma („2,25“, „2,00“)."""
    return f"{value:.2f}".replace(".", ",")


def to_svg(drawing: Drawing, title: str, description: str) -> str:
    """The drawing as an SVG document with a meaningful title and description."""
    svg = renderSVG.drawToString(drawing)
    svg = re.sub(r"<!DOCTYPE svg[^>]*>\s*", "", svg, count=1)
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1)
    svg = svg.replace("<title>...</title>", f'<title id="chart-title">{escape(title)}</title>', 1)
    return svg.replace("<desc>...</desc>", f'<desc id="chart-desc">{escape(description)}</desc>', 1)


def data_uri(drawing: Drawing) -> str:
    """The drawing as an SVG ``data:`` address for a document laid out from HTML (the PDFs);
    its text in DejaVu Sans, the documents' font (the drawing measures with reportlab's
    registration of the same font)."""
    svg = renderSVG.drawToString(drawing)
    svg = svg.replace(f"font-family: {drawing.initialFontName}", "font-family: DejaVu Sans")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# Only the inline styles reportlab writes; nothing else may load or run.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def svg_response(drawing: Drawing, title: str, description: str) -> Response:
    """The drawing served as an SVG image for a page's ``<img>``, never cached."""
    response = Response(to_svg(drawing, title, description), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response
