"""The assessor's home page: each assignment with state, due date, progress and what needs
them now, in a fixed number of queries however many assignments there are."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.auth.models import Role, User
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    Recommendation,
    Review,
    Score,
    Visit,
    VisitParticipant,
)
from seal_app.rounds.models import Round
from tests.conftest import text_of
from tests.reviews.scoring_setup import client_of


def _assessor_with(app, make, count: int) -> tuple[str, list[int]]:
    """An assessor with ``count`` applications in different states."""
    assessor = make.user(Role.ASSESSOR, "jury@example.org", name="Jana Jury")
    ids = []
    schools = [make.school(name=f"Schule Nummer {n}", town=f"Ort {n}") for n in range(count)]
    with app.app_context():
        from seal_app.rounds.services import create_round

        round_ = db.session.scalar(sa.select(Round)) or create_round(
            date.today().year + 1, date.today() + timedelta(days=60), "2026.1", None
        )
        assessor_id = db.session.scalar(sa.select(User.id).where(User.email == assessor))
        for number in range(count):
            application = Application(
                school_id=schools[number],
                round=round_,
                kind=ApplicationKind.FIRST,
                status=ApplicationStatus.SUBMITTED,
                submitted_at=utcnow(),
            )
            assignment = Assignment(
                application=application,
                assessor_id=assessor_id,
                conflict_state=(ConflictState.PENDING, ConflictState.NONE, ConflictState.NONE)[
                    number % 3
                ],
                due_on=date.today() + timedelta(days=10 + number),
            )
            db.session.add(assignment)
            db.session.flush()
            if assignment.conflict_state is ConflictState.NONE:
                for code in ("A.1", "A.2", "B.1")[: number % 4]:
                    assignment.scores.append(Score(criterion_code=code, level=2))
                visit = Visit(application_id=application.id, starts_at=utcnow() + timedelta(days=3))
                visit.participants.append(VisitParticipant(assignment=assignment))
                db.session.add(visit)
            ids.append(assignment.id)
        db.session.commit()
    return assessor, ids


def test_home_shows_each_assignment_with_state_progress_and_needs(app, make):
    assessor, ids = _assessor_with(app, make, 3)
    someone_else = make.user_id(make.user(Role.ASSESSOR, "x@example.org"))
    with app.app_context():
        conflicted = Assignment(
            application_id=db.session.get(Assignment, ids[1]).application_id,
            assessor_id=someone_else,
        )
        db.session.add(conflicted)
        submitted = db.session.get(Assignment, ids[2])
        submitted.review = Review(recommendation=Recommendation.AWARD, submitted_at=utcnow())
        db.session.commit()
    page = client_of(app, assessor).get("/")
    html, text = page.get_data(as_text=True), text_of(page)
    for number in range(3):
        assert f"Schule Nummer {number}" in text and f"Ort {number}" in text
    assert "Erklärung offen" in text and "in Arbeit" in text and "Gutachten eingereicht" in text
    assert f"/review/{ids[0]}/declaration" in html
    assert f'href="/review/{ids[1]}"' in html
    assert "1 von 23 bewertet" in text and "22 Kriterien noch bewerten" in text
    assert "2 von 23 bewertet" in text
    assert "Besuch vor Ort am" in text
    assert "Fällig bis" in text


def test_conflict_shows_without_a_link(app, make):
    assessor, ids = _assessor_with(app, make, 1)
    with app.app_context():
        assignment = db.session.get(Assignment, ids[0])
        assignment.conflict_state = ConflictState.CONFLICT
        db.session.commit()
    page = client_of(app, assessor).get("/")
    assert "befangen" in text_of(page)
    assert f"/review/{ids[0]}" not in page.get_data(as_text=True)


def _statements(app, client) -> int:
    count = 0

    def counter(*_args, **_kwargs) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get("/").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    return count


def test_home_queries_do_not_grow_with_assignments(app, make):
    assessor, _ids = _assessor_with(app, make, 3)
    client = client_of(app, assessor)
    few = _statements(app, client)
    _more_assignments(app, make, assessor, 9)
    many = _statements(app, client)
    assert many == few


def _more_assignments(app, make, assessor: str, count: int) -> None:
    schools = [make.school(name=f"Weitere Schule {number}") for number in range(count)]
    assessor_id = make.user_id(assessor)
    with app.app_context():
        round_ = db.session.scalar(sa.select(Round))
        for school_id in schools:
            application = Application(
                school_id=school_id,
                round_id=round_.id,
                kind=ApplicationKind.FIRST,
                status=ApplicationStatus.SUBMITTED,
            )
            assignment = Assignment(
                application=application,
                assessor_id=assessor_id,
                conflict_state=ConflictState.NONE,
            )
            assignment.scores.append(Score(criterion_code="A.1", level=1))
            db.session.add(assignment)
        db.session.commit()
