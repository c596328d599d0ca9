"""The jury's pages: the blueprint of ``jury_blueprint`` with the routes of the visit, the visit
record, the discussion and the meeting added (each module adds its routes to ``bp`` when
imported)."""

from __future__ import annotations

from seal_app.reviews import (  # noqa: F401
    consensus_routes,
    discussion_routes,
    visit_record_routes,
    visit_routes,
)
from seal_app.reviews.jury_blueprint import bp

__all__ = ["bp"]
