"""The public catalogue pages: readable and printable for schools deciding whether to apply."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from seal_app.catalogue import services, versions
from seal_app.catalogue.renewal import changes_of_application
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
    return render_template("catalogue/show.html", catalogue=catalogue, versions=versions)
