"""Demo applications along the whole road, so that every demo role finds work at once.

A draft of the demo school user's school, one submitted and waiting for assessors, one being
scored, one with more evidence requested, and one with every review in (the jury's meeting).
Each is made only when its school has no application in the open round yet, so running the
demo again changes nothing and never touches what people created in the meantime.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from seal_app.applications import evidence, evidence_requests, services, submission
from seal_app.applications.models import Application, ApplicationStatus, VoteKind
from seal_app.auth.models import Role, User
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.model import Catalogue, Criterion
from seal_app.db_types import utcnow
from seal_app.demo_discussion import review_times, seed_discussion
from seal_app.demo_texts import (
    ADVICE,
    ASSESSOR,
    FIRST_ASSESSOR_DELTAS,
    OFFICE,
    PICTURES,
    REVIEWS,
    SCHOOL_USER,
    SCORING_DELTAS,
    SECOND_ASSESSOR,
    SECOND_ASSESSOR_DELTAS,
    SELF_RATINGS,
    STATEMENTS,
    evidence_pdf,
    pdf,
    png,
)
from seal_app.extensions import db
from seal_app.local_time import local_today, local_zone
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    Review,
    Score,
    Visit,
    VisitParticipant,
    VisitProtocol,
)
from seal_app.rounds.models import Round
from seal_app.schools.models import Position, School, SchoolMembership
from seal_app.uploads.store import StoredFile, UploadBatch


@dataclass(frozen=True)
class DemoCase:
    """One demo application: its school, where it stands on the road, and who acts for it."""

    school_number: str
    build: str  # the name of the builder in BUILDERS
    staff_email: str  # the school's staff member who writes and submits it
    staff_name: str


CASES = (
    DemoCase("75001", "draft", SCHOOL_USER, ""),
    DemoCase("75002", "submitted", "leitung.75002@demo.invalid", "Thomas Berger"),
    DemoCase("75003", "scoring", "leitung.75003@demo.invalid", "Dr. Sabine Krüger"),
    DemoCase("75005", "more_requested", "leitung.75005@demo.invalid", "Martina Lange"),
    DemoCase("75006", "consensus", "leitung.75006@demo.invalid", "Frank Hoffmann"),
)


@dataclass(frozen=True)
class Road:
    """What every builder needs: the round, its catalogue, today, the batch, the people."""

    round: Round
    catalogue: Catalogue
    today: date
    batch: UploadBatch
    users: dict[str, User]


def seed_applications(round_: Round | None, users: dict[str, User], batch: UploadBatch) -> None:
    """Create the demo applications that do not exist yet in the open round."""
    today = local_today()
    if round_ is None or not round_.accepts_submissions_on(today):
        return  # no round to apply in: the office closed it or its deadline passed
    catalogue = catalogue_services.from_record(round_.catalogue)
    road = Road(round_, catalogue, today, batch, users)
    for case in CASES:
        school = db.session.scalar(
            sa.select(School).where(School.school_number == case.school_number)
        )
        if school is None or _has_application(school, round_):
            continue
        actor = users.get(case.staff_email) or _staff(case, school)
        BUILDERS[case.build](
            road, services.start_application(school, round_, actor, batch, today), actor
        )


def _has_application(school: School, round_: Round) -> bool:
    query = sa.select(Application.id).where(
        Application.school_id == school.id, Application.round_id == round_.id
    )
    return db.session.scalar(query) is not None


def _staff(case: DemoCase, school: School) -> User:
    """The school's staff member; without a password: the office can send them a link."""
    user = db.session.scalar(sa.select(User).where(User.email == case.staff_email))
    if user is None:
        user = User(email=case.staff_email, name=case.staff_name, role=Role.SCHOOL)
        user.memberships.append(SchoolMembership(school=school, position=Position.HEAD))
        db.session.add(user)
        db.session.flush()
    return user


# The school's side, through the application services


def _draft(road: Road, application: Application, actor: User) -> None:
    """Partly filled: four criteria complete, one in progress, one only rated, one vote."""
    criteria = list(road.catalogue.criteria)
    for criterion in criteria[:4]:
        _answer(road, application, criterion, actor)
    _answer(road, application, criteria[4], actor, with_file=False)
    rated_only = _values(criteria[6].code, measures="", since="", participants="", partners="")
    services.save_answer(application, criteria[6].code, rated_only, None, actor)
    _vote(road, application, VoteKind.SCHOOL_CONFERENCE, actor)


def _submitted(road: Road, application: Application, actor: User) -> None:
    """Complete, with all three votes, submitted: its receipt is issued and stored."""
    for criterion in road.catalogue.criteria:
        _answer(road, application, criterion, actor)
    for kind in VoteKind:
        _vote(road, application, kind, actor)
    submission.submit(application, actor, road.today, road.batch)


def _answer(
    road: Road, application: Application, criterion: Criterion, actor: User, with_file=True
) -> None:
    services.save_answer(application, criterion.code, _values(criterion.code), None, actor)
    if not with_file:
        return
    description = criterion.evidence[0] if criterion.evidence else criterion.title
    files = [(description, f"{criterion.code} {description}.pdf", evidence_pdf(criterion))]
    if criterion.code in PICTURES:
        picture = PICTURES[criterion.code]
        files.append((picture, f"{picture}.png", png(picture)))
    for text, name, data in files:
        stored = _store(road, name.replace("/", "-"), data)
        evidence.attach_file(application, stored, text, actor, criterion.code)


def _store(road: Road, name: str, data: bytes) -> StoredFile:
    """Stored as an upload is, through the same content checks."""
    upload = FileStorage(io.BytesIO(data), filename=name)
    return road.batch.save(upload, current_app.config["UPLOAD_MAX_FILE_BYTES"])


def _values(code: str, **changed: str) -> dict:
    measures, since, participants, partners = STATEMENTS.get(code, ("", "", "", ""))
    values = {
        "self_rating": SELF_RATINGS.get(code, 2),
        "measures": measures,
        "since": since,
        "participants": participants,
        "partners": partners,
    }
    return values | changed


def _vote(road: Road, application: Application, kind: VoteKind, actor: User) -> None:
    decided_on = road.today - timedelta(days=40 - 10 * list(VoteKind).index(kind))
    lines = [application.school.name, f"Datum: {decided_on:%d.%m.%Y}", "Einstimmig."]
    stored = _store(road, f"{kind.label}.pdf", pdf(kind.label, lines))
    document = evidence.attach_file(application, stored, kind.label, actor, None, staged=True)
    evidence.save_vote(application, kind, decided_on, document, actor, road.batch)


# The jury's side, as rows (the jury's own services write these in daily use)


def _scoring(road: Road, application: Application, actor: User) -> None:
    """Assigned to the demo assessor, who has scored about half of the criteria; the second
    assessor has not declared yet."""
    _submitted(road, application, actor)
    assignment = _assign(road, application, ASSESSOR, due_in_days=28)
    criteria = list(road.catalogue.criteria)[: len(SCORING_DELTAS)]
    _score(assignment, criteria, SCORING_DELTAS, road.catalogue)
    _assign(road, application, SECOND_ASSESSOR, due_in_days=28, declared=False)


def _more_requested(road: Road, application: Application, actor: User) -> None:
    """Under review, the demo assessor asked for more on two criteria; the school has not
    answered yet."""
    _submitted(road, application, actor)
    _assign(road, application, ASSESSOR, due_in_days=35)
    evidence_requests.request_more_evidence(
        application,
        "Bitte reichen Sie den Beschluss nach, mit dem die überarbeitete Fassung des "
        "Krisenkonzepts in Kraft gesetzt wurde, und das Protokoll der letzten "
        "Sicherheitsbegehung mit der Mängelliste (das vorliegende ist von 2021).",
        _known(road.catalogue, ["A.1", "I.1"]),
        road.today + timedelta(days=14),
        road.users[ASSESSOR],
    )


def _known(catalogue: Catalogue, codes: list[str]) -> list[str]:
    """The codes the round's catalogue has (else its first two), should it ever change."""
    known = [code for code in codes if catalogue.criterion(code) is not None]
    return known or [criterion.code for criterion in catalogue.criteria][:2]


def _consensus(road: Road, application: Application, actor: User) -> None:
    """Both assessors scored every criterion and submitted their reviews; a visit with a
    protocol took place. The office's jury meeting can begin."""
    _submitted(road, application, actor)
    catalogue = road.catalogue
    criteria = list(catalogue.criteria)
    first = _assign(road, application, ASSESSOR, due_in_days=7)
    second = _assign(road, application, SECOND_ASSESSOR, due_in_days=7)
    _score(first, criteria, FIRST_ASSESSOR_DELTAS, catalogue)
    _score(second, criteria, SECOND_ASSESSOR_DELTAS, catalogue)
    visit = _visit(road, application, [first, second])
    for assignment, submitted_at in zip((first, second), review_times(), strict=True):
        recommendation, summary, strengths = REVIEWS[assignment.assessor.email]
        advice = {area.code: ADVICE.get(area.code, "") for area in catalogue.areas}
        if assignment is second:
            advice["B"] = "Verbindliche Abläufe bei Mobbing festlegen und die Fälle auswerten."
        assignment.review = Review(
            recommendation=recommendation,
            summary=summary,
            strengths=strengths,
            advice=advice,
            submitted_at=submitted_at,
        )
    visit.protocols.append(
        VisitProtocol(
            assignment=first,
            area_code=catalogue.areas[0].code,
            observed="Räumungspläne in allen Fluren und Räumen, aktuell datiert; der "
            "Sammelplatz ist ausgeschildert. Das Krisenteam hat seinen Ordner vorgelegt.",
            talked_to="Schulleitung, zwei Streitschlichterinnen aus Klasse 8, Hausmeister",
            findings="Die Abläufe sind eingeübt und allen Befragten bekannt. Die Fassung des "
            "Krisenkonzepts im Lehrerzimmer war nicht die aktuelle.",
        )
    )
    seed_discussion(application, road.users)


def _assign(
    road: Road, application: Application, email: str, due_in_days: int, declared: bool = True
) -> Assignment:
    """As the office assigns: a submitted application is under review from then on."""
    assignment = Assignment(
        application=application,
        assessor=road.users[email],
        created_by_id=road.users[OFFICE].id,
        due_on=road.today + timedelta(days=due_in_days),
        conflict_state=ConflictState.NONE if declared else ConflictState.PENDING,
        declared_at=utcnow() if declared else None,
    )
    db.session.add(assignment)
    if application.status is ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.IN_REVIEW
    return assignment


def _score(
    assignment: Assignment, criteria: list[Criterion], deltas: list[int], catalogue: Catalogue
) -> None:
    minimum = catalogue.award_rule.mandatory_min_level
    for index, criterion in enumerate(criteria):
        delta = deltas[index] if index < len(deltas) else 0
        rated = SELF_RATINGS.get(criterion.code, 2)
        level = max(0, min(catalogue.top_level, rated + delta))
        comment = ""
        if abs(level - rated) >= 2 or (criterion.mandatory and level < minimum):
            comment = (
                f"Die Nachweise tragen die Selbsteinschätzung (Stufe {rated}) nicht: "
                f"{criterion.title} ist beschrieben, aber nicht verbindlich geregelt und "
                "nicht ausgewertet."
            )
        elif delta:
            comment = "Stufe nach den vorgelegten Nachweisen angepasst."
        assignment.scores.append(Score(criterion_code=criterion.code, level=level, comment=comment))


def _visit(road: Road, application: Application, assignments: list[Assignment]) -> Visit:
    day = road.today - timedelta(days=1)
    visit = Visit(
        application=application,
        starts_at=datetime.combine(day, time(9), local_zone()),
        note="Treffpunkt: Sekretariat im Hauptgebäude.",
        planned_by_id=road.users[OFFICE].id,
    )
    visit.participants.extend(VisitParticipant(assignment=a) for a in assignments)
    db.session.add(visit)
    return visit


BUILDERS: dict[str, Callable[[Road, Application, User], None]] = {
    "draft": _draft,
    "submitted": _submitted,
    "scoring": _scoring,
    "more_requested": _more_requested,
    "consensus": _consensus,
}


def summary(round_: Round | None) -> list[str]:
    """One line per state: how many applications of the open round stand there, and whose
    (with the reviews in, for those with assessors)."""
    if round_ is None:
        return ["Keine offene Vergaberunde: keine Demo-Anträge angelegt."]
    query = (
        sa.select(Application)
        .join(Application.school)
        .where(Application.round_id == round_.id)
        .options(selectinload(Application.school))
        .order_by(School.name)
    )
    reviews = _reviews_in(round_)
    by_status: dict[ApplicationStatus, list[str]] = {}
    for application in db.session.scalars(query):
        name = application.school.name
        if application.id in reviews:
            done, assigned = reviews[application.id]
            name += f" (Gutachten {done} von {assigned})"
        by_status.setdefault(application.status, []).append(name)
    lines = [f"Anträge in der {round_.title}:"]
    for status in ApplicationStatus:
        if status in by_status:
            names = ", ".join(by_status[status])
            lines.append(f"  {status.label:20} {len(by_status[status]):2}  {names}")
    return lines


def _reviews_in(round_: Round) -> dict[int, tuple[int, int]]:
    """Per application of the round: submitted reviews and assignments."""
    query = (
        sa.select(
            Assignment.application_id,
            sa.func.count(Review.submitted_at),
            sa.func.count(Assignment.id),
        )
        .join(Application, Application.id == Assignment.application_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Application.round_id == round_.id)
        .group_by(Assignment.application_id)
    )
    return {row[0]: (row[1], row[2]) for row in db.session.execute(query)}
