"""The office's dashboard page and its chart of applications by state."""

from __future__ import annotations

import math
from fractions import Fraction

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing

from seal_app import charts
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.dashboard import figures
from seal_app.local_time import local_today
from seal_app.rounds.services import open_round

bp = Blueprint("dashboard", __name__, url_prefix="/office/dashboard")
office_only = roles_required(Role.OFFICE)


@bp.get("/")
@office_only
def index():
    board = figures.dashboard(local_today())
    states = board.round.states if board.round else []
    return render_template(
        "dashboard/index.html",
        board=board,
        chart_size=charts.size(len(states)),
    )


@bp.get("/states.svg")
@office_only
def states_chart():
    round_ = open_round() or abort(404)
    return charts.svg_response(
        states_drawing(figures.states(round_.id)),
        _("Anträge nach Status (%(round)s)", round=round_.title),
        _("Balkendiagramm; die Zahlen stehen auch in der Tabelle daneben."),
    )


def states_drawing(states: list[figures.StateCount]) -> Drawing:
    """The project's bar chart, one bar per status, with a scale in readable steps."""
    top, step = _scale(max((item.count for item in states), default=0))
    return charts.area_chart(
        [(item.status.label, Fraction(item.count)) for item in states],
        top,
        _("Anzahl der Anträge"),
        number=lambda value: str(round(value)),
        step=step,
        wide_labels=True,
    )


def _scale(highest: int) -> tuple[int, int]:
    """The top of the scale and its step: 1, 2 or 5 times a power of ten, five steps or so."""
    if highest <= 5:
        return max(highest, 1), 1
    rough = highest / 5
    power = 10 ** math.floor(math.log10(rough))
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= rough)
    return step * math.ceil(highest / step), step
