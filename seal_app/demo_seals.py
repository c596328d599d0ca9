"""Demo history: earlier rounds with released decisions, so that the verification page, the
public list, the feedback letters and the expiry notices show something at once.

- Grundschule Bergring (Teterow): awarded last year, a valid certificate.
- Grundschule Laage: not awarded last year, with its written feedback.
- Grundschule Schwaan: awarded five years ago, its seal expires within weeks.

Each is created once; running the demo again leaves them as they are.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from seal_app.applications.models import (
    Application,
    ApplicationKind,
    CriterionAnswer,
)
from seal_app.auth.models import User
from seal_app.catalogue import services as catalogue_services
from seal_app.certificates import issuing
from seal_app.certificates.decisions import advice_text
from seal_app.certificates.models import Certificate, Decision, Outcome
from seal_app.demo_paper_seals import seed_paper_seals
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.reviews.models import JuryLevel
from seal_app.rounds.models import Round, RoundStatus
from seal_app.schools.models import School
from seal_app.uploads.store import UploadBatch

ADVICE = {
    "A": "Das Krisenkonzept jährlich mit der Polizei gegenlesen und die Fassung datieren.",
    "F": "Die Angebote zur Suchtprävention auf die Klassen 8 und 9 ausweiten.",
}


def seed_seals(office: User, batch: UploadBatch) -> None:
    today = local_today()
    last_year = _closed_round(today.year - 1)
    five_years_ago = _closed_round(today.year - 5)
    _decided("75008", last_year, Outcome.AWARDED, 2, date(today.year - 1, 12, 1), office, batch)
    _decided("75012", last_year, Outcome.NOT_AWARDED, 1, date(today.year - 1, 12, 1), office, batch)
    # issued so that the seal runs out about six weeks from today
    expiring_from = issuing.valid_until(today, -5) + timedelta(days=45)
    _decided("75015", five_years_ago, Outcome.AWARDED, 2, expiring_from, office, batch)
    seed_paper_seals(office)


def _closed_round(year: int) -> Round:
    round_ = db.session.scalar(sa.select(Round).where(Round.year == year))
    if round_ is None:
        round_ = Round(
            year=year,
            title=f"Vergaberunde {year}",
            submission_deadline=date(year, 6, 30),
            catalogue_version=catalogue_services.current().version,
            status=RoundStatus.CLOSED,
        )
        db.session.add(round_)
        db.session.flush()
    return round_


def _decided(
    number: str,
    round_: Round,
    outcome: Outcome,
    level: int,
    decided_on: date,
    office: User,
    batch: UploadBatch,
) -> None:
    school = db.session.scalar(sa.select(School).where(School.school_number == number))
    if school is None:
        return
    exists = sa.select(Application.id).where(
        Application.school_id == school.id, Application.round_id == round_.id
    )
    if db.session.scalar(exists) is not None:
        return
    moment = datetime.combine(decided_on, time(10, 0)).astimezone()
    application = Application(
        school_id=school.id,
        round_id=round_.id,
        kind=ApplicationKind.FIRST,
        status=outcome.status,
        submitted_at=moment - timedelta(days=120),
        decided_at=moment,
    )
    db.session.add(application)
    db.session.flush()
    catalogue = catalogue_services.from_record(round_.catalogue)
    for criterion in catalogue.criteria:
        application.answers.append(
            CriterionAnswer(criterion_code=criterion.code, self_rating=2, measures="Demo")
        )
        db.session.add(
            JuryLevel(
                application_id=application.id,
                criterion_code=criterion.code,
                level=level,
                decided_by_id=office.id,
            )
        )
    awarded = outcome is Outcome.AWARDED
    db.session.add(
        Decision(
            application_id=application.id,
            outcome=outcome,
            rationale=(
                "Die Schule verankert Sicherheit und Prävention vorbildlich im Schulalltag."
                if awarded
                else "Mehrere Pflichtkriterien erreichen die Mindeststufe noch nicht."
            ),
            strengths="Ein eingespieltes Krisenteam und eine lebendige Streitschlichtung.",
            proposal_met=awarded,
            advice=ADVICE,
            prepared_by_id=office.id,
            released_at=moment,
        )
    )
    application.jury_advice = advice_text(ADVICE, catalogue)
    db.session.flush()
    if awarded and current_app.config.get("SIGNING_KEY_FILE"):
        issuing.issue(application, moment, decided_on, batch)


def summary() -> list[str]:
    """Lines for the demo's output: the certificates and where to check them."""
    lines = []
    for certificate in db.session.scalars(sa.select(Certificate).order_by(Certificate.number)):
        school = certificate.school
        lines.append(
            f"  Urkunde {certificate.number}: {school.name}, gültig bis "
            f"{certificate.valid_until:%d.%m.%Y} – /verify/{certificate.number}"
        )
    return ["Siegel (öffentliche Liste: /siegelschulen):", *lines] if lines else []
