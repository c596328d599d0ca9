"""Deciding on applications: the rules (pure), then the services that read and change the
database (wrapped by the caller in ``transaction()``).

The office prepares a decision per application once the jury has agreed a level for every
criterion; it can change or discard it until the round's decisions are released together, at
one moment, so that no school learns its result before the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue.model import Catalogue
from seal_app.certificates import issuing, letters, shared_wording
from seal_app.certificates.models import Decision, Outcome
from seal_app.database import ConflictError, claim_version
from seal_app.extensions import db
from seal_app.notifications import messages
from seal_app.reviews import agreed_levels, consensus
from seal_app.reviews.submission import all_reviews_in
from seal_app.reviews.visits import local_zone
from seal_app.rounds.models import Round
from seal_app.uploads.store import UploadBatch


class DecisionError(Exception):
    """A rule was broken; the message is for the office, shown at ``field`` of the form."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class DecisionValues:
    """What the office typed."""

    outcome: Outcome | None
    rationale: str
    departure_rationale: str
    strengths: str
    advice: dict[str, str]
    shared_reasons: tuple[str, ...] = ()  # divergent criteria whose reason the school reads
    shared_texts: dict[str, str] = field(default_factory=dict)  # code -> the school's wording


# --- rules ------------------------------------------------------------------------------------


def proposed_outcome(proposal_met: bool) -> Outcome:
    """What the award rule on the agreed levels proposes."""
    return Outcome.AWARDED if proposal_met else Outcome.NOT_AWARDED


def departs(outcome: Outcome, proposal_met: bool) -> bool:
    """A decision other than the rule's proposal (deferring always departs from it)."""
    return outcome is not proposed_outcome(proposal_met)


def check(values: DecisionValues, proposal_met: bool) -> list[DecisionError]:
    """Every problem of the typed decision at once (empty: it can be saved)."""
    problems = []
    if values.outcome is None:
        problems.append(DecisionError(_("Bitte wählen Sie die Entscheidung."), "outcome"))
    if not values.rationale.strip():
        problems.append(DecisionError(_("Bitte begründen Sie die Entscheidung."), "rationale"))
    if (
        values.outcome is not None
        and departs(values.outcome, proposal_met)
        and not values.departure_rationale.strip()
    ):
        problems.append(
            DecisionError(
                _(
                    "Die Entscheidung weicht vom Vorschlag nach der Vergaberegel ab. Bitte "
                    "begründen Sie die Abweichung."
                ),
                "departure_rationale",
            )
        )
    for name, message in shared_wording.problems(values.shared_reasons, values.shared_texts):
        problems.append(DecisionError(message, name))
    return problems


def advice_from_reviews(reviews: Sequence, area_codes: Sequence[str]) -> dict[str, str]:
    """The assessors' advice per area, one paragraph each and without names: the start of the
    advice the office edits for the school."""
    advice = {}
    for code in area_codes:
        texts = [
            (item.review.advice or {}).get(code, "").strip()
            for item in reviews
            if item.review is not None
        ]
        advice[code] = _paragraphs(texts)
    return advice


def strengths_from_reviews(reviews: Sequence) -> str:
    """The assessors' notes on the school's strengths, one paragraph each, without names."""
    texts = [(item.review.strengths or "").strip() for item in reviews if item.review is not None]
    return _paragraphs(texts)


def _paragraphs(texts: list[str]) -> str:
    """The texts as paragraphs, each only once (assessors often agree word for word)."""
    return "\n\n".join(dict.fromkeys(text for text in texts if text))


def advice_text(advice: dict[str, str], catalogue: Catalogue) -> str:
    """The advice as one text by area, for the school's next application."""
    parts = [
        f"{area.code}. {area.title}\n{advice[area.code].strip()}"
        for area in catalogue.areas
        if (advice.get(area.code) or "").strip()
    ]
    return "\n\n".join(parts)


# --- reading ----------------------------------------------------------------------------------


def decision_of(application_id: int) -> Decision | None:
    return db.session.scalar(sa.select(Decision).where(Decision.application_id == application_id))


def meeting_ready(application: Application, catalogue: Catalogue) -> consensus.Consensus:
    """The finished jury meeting the decision rests on; ``DecisionError`` if it is not."""
    if not all_reviews_in(application):
        raise DecisionError(_("Es sind noch nicht alle Gutachten eingereicht."))
    meeting = consensus.consensus_of(application, catalogue)
    if not meeting.all_agreed:
        raise DecisionError(
            _(
                "Die Jury hat erst für %(agreed)d von %(total)d Kriterien eine Stufe vereinbart. "
                "Entscheiden können Sie, wenn alle Stufen vereinbart sind.",
                agreed=meeting.agreed_count,
                total=len(meeting.rows),
            )
        )
    if meeting.unsettled:
        raise DecisionError(
            ngettext(
                "Bei %(num)d Kriterium liegen die Gutachten weit auseinander, und der "
                "vereinbarten Stufe fehlt die Begründung: %(codes)s. Entscheiden können Sie, "
                "wenn sie in der Jurysitzung begründet ist.",
                "Bei %(num)d Kriterien liegen die Gutachten weit auseinander, und den "
                "vereinbarten Stufen fehlt die Begründung: %(codes)s. Entscheiden können Sie, "
                "wenn sie in der Jurysitzung begründet sind.",
                len(meeting.unsettled),
                codes=", ".join(row.criterion.code for row in meeting.unsettled),
            )
        )
    return meeting


@dataclass(frozen=True)
class RoundLine:
    """One application of a round on the office's decision page."""

    application: Application
    decision: Decision | None


def round_lines(round_: Round) -> list[RoundLine]:
    """The round's applications that went to the jury, with their decisions, by school name."""
    applications = db.session.scalars(
        sa.select(Application)
        .where(Application.round_id == round_.id, Application.submitted_at.is_not(None))
        .options(joinedload(Application.school))
    ).all()
    decisions = {
        item.application_id: item
        for item in db.session.scalars(
            sa.select(Decision).where(
                Decision.application_id.in_([item.id for item in applications])
            )
        )
    }
    lines = [RoundLine(item, decisions.get(item.id)) for item in applications]
    return sorted(lines, key=lambda line: line.application.school.name)


def prepared(lines: Sequence[RoundLine]) -> list[Decision]:
    """The decisions ready to be released, in the order shown."""
    return [line.decision for line in lines if line.decision and not line.decision.is_released]


# --- changing ---------------------------------------------------------------------------------


def prepare(
    application: Application,
    catalogue: Catalogue,
    values: DecisionValues,
    expected_version: int | None,
    actor: User,
) -> Decision:
    """Store (or change) the prepared decision; the school sees nothing of it yet."""
    agreed_levels.lock_application(application.id)
    existing = decision_of(application.id)
    if application.decided_at is not None or (existing and existing.is_released):
        raise DecisionError(_("Die Entscheidung ist schon freigegeben."))
    meeting = meeting_ready(application, catalogue)
    proposal_met = meeting.proposal.met
    problems = check(values, proposal_met)
    if problems:
        raise problems[0]
    if existing is None and expected_version is None:
        decision = Decision(application_id=application.id)
        db.session.add(decision)  # a second one at the same moment breaks the unique constraint
    elif existing is None:
        raise ConflictError  # the draft the form showed was discarded meanwhile
    else:
        claim_version(existing, expected_version)
        decision = existing
    decision.outcome = values.outcome
    decision.rationale = values.rationale.strip()
    decision.departure_rationale = (
        values.departure_rationale.strip() if departs(values.outcome, proposal_met) else ""
    )
    decision.strengths = values.strengths.strip()
    decision.proposal_met = proposal_met
    decision.advice = {code: text.strip() for code, text in values.advice.items()}
    decision.shared_reasons = [
        row.criterion.code for row in meeting.settled if row.criterion.code in values.shared_reasons
    ]
    decision.shared_texts = {
        code: values.shared_texts.get(code, "").strip() for code in decision.shared_reasons
    }
    decision.prepared_by_id = actor.id
    db.session.flush()
    record(
        "decision.prepared",
        decision,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        outcome=decision.outcome.label,
        proposal=proposed_outcome(proposal_met).label,
        departs=departs(decision.outcome, proposal_met),
        shared_reasons=decision.shared_reasons,
        shared_texts=decision.shared_texts,
    )
    return decision


def discard(application: Application, expected_version: int | None, actor: User) -> None:
    """Drop the prepared decision (to change agreed levels first, for example)."""
    decision = decision_of(application.id)
    if decision is None or decision.is_released:
        raise ConflictError
    claim_version(decision, expected_version)
    db.session.flush()
    record(
        "decision.discarded",
        application,
        actor,
        application_id=application.id,
        school_id=application.school_id,
    )
    db.session.delete(decision)
    db.session.flush()


def release(
    round_: Round,
    shown: Sequence[tuple[int, int]],
    catalogue_of,
    actor: User,
    now: datetime,
    batch: UploadBatch,
) -> int:
    """Release every prepared decision of the round at the same moment, and issue the
    certificate of every award; how many.

    ``shown`` are the (id, version) of the decisions the page listed: if they are no longer the
    ones prepared, as they were (someone prepared, changed or released meanwhile), nothing is
    released (``ConflictError``).
    """
    decisions = prepared(round_lines(round_))
    if sorted((item.id, item.version) for item in decisions) != sorted(shown) or not decisions:
        raise ConflictError
    waiting = [item.application for item in decisions if not all_reviews_in(item.application)]
    if waiting:
        raise DecisionError(
            _(
                "Für diese Anträge sind nicht mehr alle Gutachten eingereicht: %(schools)s",
                schools=", ".join(item.school.name for item in waiting),
            )
        )
    claimed = db.session.execute(
        sa.update(Decision)
        .where(Decision.id.in_([item.id for item in decisions]), Decision.released_at.is_(None))
        .values(released_at=now, version=Decision.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != len(decisions):
        raise ConflictError  # a second release at the same moment
    today = now.astimezone(local_zone()).date()
    for decision in decisions:
        db.session.refresh(decision)
        _apply_to_application(decision, catalogue_of(decision.application), now, actor)
        letters.issue(decision, batch, actor)
        if decision.outcome is Outcome.AWARDED:
            _issue(decision.application, now, today, batch, actor)
    return len(decisions)


def _issue(application: Application, now: datetime, today, batch: UploadBatch, actor) -> None:
    certificate = issuing.issue(application, now, today, batch)
    record(
        "certificate.issued",
        certificate,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        number=certificate.number,
        sha256=certificate.sha256,
        valid_until=certificate.valid_until.isoformat(),
    )


def _apply_to_application(
    decision: Decision, catalogue: Catalogue, now: datetime, actor: User
) -> None:
    application = decision.application
    application.status = decision.outcome.status
    application.decided_at = now
    application.jury_advice = advice_text(decision.advice, catalogue)
    db.session.flush()
    record(
        "decision.released",
        application,
        actor,
        application_id=application.id,
        school_id=application.school_id,
        outcome=decision.outcome.label,
    )
    messages.decision_released(decision)
