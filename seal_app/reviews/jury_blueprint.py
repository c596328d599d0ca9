"""The jury blueprint and the template helpers its pages share: the on-site visit (planned by
the office, protocols by the visiting assessors) and the jury's meeting (consensus). The routes
live in ``visit_routes`` and ``consensus_routes``, which import this module; ``jury_routes``
gathers them."""

from __future__ import annotations

from fractions import Fraction

from flask import Blueprint
from flask_login import current_user

from seal_app.applications import access
from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.formatting import two_decimals
from seal_app.reviews import visits
from seal_app.reviews.models import Assignment, Visit

bp = Blueprint("jury", __name__)
office_only = roles_required(Role.OFFICE)
assessor_only = roles_required(Role.ASSESSOR)


@bp.app_template_global()
def planned_visit(application: Application) -> Visit | None:
    """The visit planned for an application, for the school's pages."""
    return visits.visit_of(application.id)


@bp.app_template_global()
def own_assignment(application: Application) -> Assignment | None:
    """The current assessor's cleared assignment to the application, for links back to it."""
    return access.cleared_assignment(current_user, application.id)


@bp.app_template_filter("level_mean")
def level_mean(value: Fraction | float | None) -> str:
    """A mean level as people read it, always two places: „2,50“, „2,33“, „–“ without any."""
    return two_decimals(value)
