"""The jury's agreed levels: one criterion at a time or the proposals adopted together, and the
lock that keeps them still while the office decides. Callers wrap these in ``transaction()``."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue.model import Catalogue
from seal_app.certificates.models import decision_taken
from seal_app.database import ConflictError, claim_version
from seal_app.extensions import db
from seal_app.reviews.consensus import (
    ConsensusError,
    assignments_for,
    check_agreed_level,
    consensus_of,
    counted,
    criterion_row,
    jury_level,
    score_lookup,
)
from seal_app.reviews.models import (
    JuryLevel,
)
from seal_app.reviews.submission import all_reviews_in


def save_jury_level(
    application: Application,
    catalogue: Catalogue,
    code: str,
    level: int | None,
    note: str,
    expected_version: int | None,
    actor: User,
) -> JuryLevel:
    """Record the level the jury agreed on for one criterion (office only; checked by the
    caller). Refused before all reviews are in and after the decision."""
    _require_open(application)
    assignments = assignments_for(application.id)
    criterion = catalogue.criterion(code)
    if criterion is None:
        raise ConsensusError(_("Dieses Kriterium gibt es im Katalog des Antrags nicht."))
    scores = score_lookup(application.id, code)
    threshold = catalogue.award_rule.divergence
    row = criterion_row(criterion, counted(assignments), scores, None, None, threshold)
    check_agreed_level(catalogue, code, level, note, row.default, row.divergent)
    existing = jury_level(application.id, code)
    if existing is not None and (existing.level, existing.note) == (level, note.strip()):
        return existing  # saved again unchanged: nothing to store, nothing to log
    old = {"level": existing.level, "note": existing.note} if existing else None
    if existing is None and expected_version is None:
        agreed = JuryLevel(application_id=application.id, criterion_code=code)
        db.session.add(agreed)  # a second creation at the same moment breaks the constraint
    elif existing is None:
        raise ConflictError
    else:
        claim_version(existing, expected_version)
        agreed = existing
    agreed.level, agreed.note, agreed.decided_by_id = level, note.strip(), actor.id
    db.session.flush()
    record(
        "consensus.level_saved",
        agreed,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        criterion=code,
        old=_level_text(old),
        new=_level_text({"level": level, "note": agreed.note}),
        note=agreed.note,
        divergent=row.divergent,
        mean=round(float(row.mean), 2) if row.mean is not None else None,
    )
    return agreed


def adopt_proposals(
    application: Application, catalogue: Catalogue, shown: Sequence[str], actor: User
) -> int:
    """Store the rounded mean as the agreed level of every criterion that has none yet and
    whose assessors do not diverge (those need a reason each); how many. ``shown`` are the
    codes the page offered: if they are no longer the ones to adopt (someone saved in
    between), nothing is stored (``ConflictError``)."""
    _require_open(application)
    meeting = consensus_of(application, catalogue)
    codes = meeting.to_adopt
    if list(shown) != codes:
        raise ConflictError
    for code in codes:
        row = meeting.row(code)
        # a second creation at the same moment breaks the unique constraint
        db.session.add(
            JuryLevel(
                application_id=application.id,
                criterion_code=code,
                level=row.default,
                note="",
                decided_by_id=actor.id,
            )
        )
    if not codes:
        return 0
    db.session.flush()
    record(
        "consensus.levels_adopted",
        application,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        count=len(codes),
        criteria=codes,
    )
    return len(codes)


def _require_open(application: Application) -> None:
    """Agreed levels are saved only once all reviews are in and before the decision."""
    lock_application(application.id)
    if application.decided_at is not None:
        raise ConsensusError(_("Über den Antrag ist schon entschieden."))
    if decision_taken(application.id):
        raise ConsensusError(
            _(
                "Die Entscheidung ist schon vorbereitet. Um Stufen zu ändern, verwerfen Sie "
                "zuerst den Entwurf der Entscheidung."
            )
        )
    if not all_reviews_in(application):
        raise ConsensusError(_("Es sind noch nicht alle Gutachten eingereicht."))


def lock_application(application_id: int) -> None:
    """Hold the application's row until the transaction ends (PostgreSQL; SQLite writes one
    at a time anyway), so that agreed levels and a decision cannot pass their checks at the
    same moment."""
    db.session.execute(
        sa.select(Application.id).where(Application.id == application_id).with_for_update()
    )


def _level_text(value: dict | None) -> str | None:
    if value is None:
        return None
    return _("Stufe %(level)d", level=value["level"])
