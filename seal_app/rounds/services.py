"""Starting, changing and finding rounds."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue import services as catalogue_services
from seal_app.database import claim_version
from seal_app.extensions import db
from seal_app.notifications import messages
from seal_app.rounds.models import Round, RoundStatus


class RoundError(Exception):
    """A rule for rounds was broken; the message is for the user (German)."""


def default_deadline(year: int) -> date:
    return date(year, 6, 30)


def all_rounds() -> list[Round]:
    return list(db.session.scalars(sa.select(Round).order_by(Round.year.desc())))


def open_round() -> Round | None:
    return db.session.scalar(sa.select(Round).where(Round.status == RoundStatus.OPEN))


def create_round(
    year: int, deadline: date, catalogue_version: str, actor: User | None, title: str = ""
) -> Round:
    """Open a new round; its catalogue version is locked from now on."""
    if db.session.scalar(sa.select(Round.id).where(Round.year == year)) is not None:
        raise RoundError(_("Für %(year)d gibt es schon eine Vergaberunde.", year=year))
    if open_round() is not None:
        raise RoundError(_("Es ist noch eine Vergaberunde offen. Schließen Sie diese zuerst."))
    _require_catalogue(catalogue_version)
    round_ = Round(
        year=year,
        title=title.strip() or f"Vergaberunde {year}",  # stored data: always German
        submission_deadline=deadline,
        catalogue_version=catalogue_version,
        status=RoundStatus.OPEN,
    )
    db.session.add(round_)
    db.session.flush()
    messages.round_opened(round_)
    record(
        "round.created",
        round_,
        actor,
        year=year,
        deadline=deadline.isoformat(),
        catalogue_version=catalogue_version,
    )
    return round_


def update_round(
    round_: Round,
    deadline: date,
    status: RoundStatus,
    expected_version: int | None,
    actor: User,
    review_until: date | None = None,
    decision_expected_on: date | None = None,
) -> None:
    if status is RoundStatus.OPEN and not round_.is_open:
        other = open_round()
        if other is not None and other.id != round_.id:
            raise RoundError(_("Es ist schon eine andere Vergaberunde offen."))
    claim_version(round_, expected_version)  # after the queries: they would flush it early
    changes = {}
    if deadline != round_.submission_deadline:
        changes["deadline"] = deadline.isoformat()
    if status != round_.status:
        changes["status"] = status.value
    for name, value in (
        ("review_until", review_until),
        ("decision_expected_on", decision_expected_on),
    ):
        if value != getattr(round_, name):
            changes[name] = value.isoformat() if value else None
            setattr(round_, name, value)
    round_.submission_deadline, round_.status = deadline, status
    record("round.updated", round_, actor, **changes)


def _require_catalogue(version: str) -> None:
    if version not in catalogue_services.available():
        raise RoundError(_("Die Katalogversion %(version)s gibt es nicht.", version=version))
    try:
        catalogue_services.lock_version(version)
    except catalogue_services.CatalogueChangedError as error:
        raise RoundError(
            _(
                "Die Datei der Katalogversion %(version)s wurde geändert, nachdem eine Runde sie "
                "nutzte. Legen Sie die Änderungen als neue Version an.",
                version=version,
            )
        ) from error
