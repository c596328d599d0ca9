"""The public catalogue pages: readable and printable for schools deciding whether to apply."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from seal_app.catalogue import services, versions
from seal_app.catalogue.renewal import changes_of_application
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.rounds.services import open_round

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
bp.add_app_template_global(changes_of_application, "renewal_changes")


@bp.get("/")
def current():
    """The version schools apply with now: the open round's, else the newest (a version
    added for a future round is not shown as current while a round still uses another)."""
    running = open_round()
    if running is not None:
        catalogue = versions.catalogue_of_version(running.catalogue_version)
        if catalogue is not None:
            return _show(catalogue)
    return _show(services.current())


@bp.get("/<version>")
def version(version: str):
    catalogue = versions.catalogue_of_version(version)  # as rounds use it: locked text first
    if catalogue is None:
        abort(404)
    return _show(catalogue)


def _show(catalogue):
    versions = sorted(services.available(), key=services.version_key, reverse=True)
    return render_template(
        "catalogue/show.html",
        catalogue=catalogue,
        versions=versions,
        version_notes=_version_notes(catalogue.version, versions),
    )


def _version_notes(shown: str, versions: list[str]) -> dict[str, str]:
    """A short note per other version: the rounds that use it, or „für künftige Runden“ for
    one no round uses yet that is newer than the version shown."""
    years: dict[str, list[str]] = {}
    for version, year in db.session.execute(
        sa.select(Round.catalogue_version, Round.year).order_by(Round.year)
    ):
        years.setdefault(version, []).append(str(year))
    notes = {}
    for version in versions:
        if version in years:
            used = years[version]
            notes[version] = ngettext(
                "Runde %(years)s", "Runden %(years)s", len(used), years=", ".join(used)
            )
        elif services.version_key(version) > services.version_key(shown):
            notes[version] = _("für künftige Runden")
    return notes
