"""The SQL statements a page sends do not grow with the data: the main pages of every role,
counted on the demo district and again after it holds ten times as many schools,
applications, assignments, certificates, messages and audit entries."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from benchmarks import page_costs
from benchmarks.measuring import counting_statements
from seal_app.applications.models import Application, CriterionAnswer, EvidenceFile
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import User
from seal_app.certificates.models import Certificate, Decision
from seal_app.extensions import db
from seal_app.notifications.models import OutboxMessage
from seal_app.reviews.models import Assignment, Score
from seal_app.schools.models import School

COPIES = 27  # the demo's few rows of each kind, and 27 more


@pytest.fixture
def demo(app, runner, monkeypatch):
    monkeypatch.setenv("SEAL_DEMO_PASSWORD", page_costs.PASSWORD)
    result = runner.invoke(args=["seal", "demo"])
    assert result.exit_code == 0, result.output


def test_statements_per_page_stay_the_same_with_ten_times_the_data(app, demo):
    people = page_costs.people(app)
    pages = page_costs.main_pages(people)
    before = _statements(app, people, pages)
    _grow(app)
    after = _statements(app, people, pages)
    assert after == before


def _statements(app, people: dict, pages: dict) -> dict[tuple[str, str], int]:
    """Each page asked twice, the fewer counted: a session's last use is written once a
    minute, which may fall on either request."""
    counts = {}
    with app.app_context():
        engine = db.engine
    for (role, page), path in pages.items():
        seen = []
        for _ in range(2):
            with counting_statements(engine) as counter:
                response = people[role].get(path)
            assert response.status_code == 200, (role, page, response.status_code)
            seen.append(counter["statements"])
        counts[(role, page)] = min(seen)
    return counts


def _grow(app) -> None:
    """Copies of the demo's rows for new schools: applications with their answers and
    files, the assessor's assignments with scores, certificates, messages, audit entries."""
    with app.app_context():
        assessor = db.session.scalar(sa.select(User).where(User.email == "gutachter@demo.invalid"))
        assignments = list(
            db.session.scalars(sa.select(Assignment).where(Assignment.assessor_id == assessor.id))
        )
        certificate = db.session.scalars(sa.select(Certificate)).first()
        messages = list(db.session.scalars(sa.select(OutboxMessage)))
        entries = list(db.session.scalars(sa.select(AuditEntry)))
        for copy in range(COPIES):
            template = assignments[copy % len(assignments)]
            school = _clone(
                template.application.school,
                school_number=f"99{copy:03d}",
                name=f"Vergleichsschule {copy}",
            )
            application = _copy_application(template.application, school)
            new_assignment = _clone(template, application_id=application.id)
            for score in db.session.scalars(
                sa.select(Score).where(Score.assignment_id == template.id)
            ):
                _clone(score, assignment_id=new_assignment.id)
            _copy_certificate(certificate, school, copy)
            for message in messages:
                _clone(message, created_at=message.created_at - timedelta(days=copy + 1))
            for entry in entries:  # all of them, a little older: the newest page stays alike
                _clone(entry, occurred_at=entry.occurred_at - timedelta(days=copy + 1))
        db.session.commit()


def _copy_application(template: Application, school: School) -> Application:
    application = _clone(template, school_id=school.id)
    for answer in db.session.scalars(
        sa.select(CriterionAnswer).where(CriterionAnswer.application_id == template.id)
    ):
        _clone(answer, application_id=application.id)
    for file in db.session.scalars(
        sa.select(EvidenceFile).where(EvidenceFile.application_id == template.id)
    ):
        _clone(file, application_id=application.id, stored_name=uuid.uuid4().hex)
    return application


def _copy_certificate(template: Certificate, school: School, copy: int) -> None:
    old = template.application
    application = _clone(old, school_id=school.id, round_id=old.round_id)
    decision = db.session.scalar(sa.select(Decision).where(Decision.application_id == old.id))
    if decision is not None:
        _clone(decision, application_id=application.id)
    _clone(
        template,
        application_id=application.id,
        number=f"2025-{500 + copy}",
        school_name=school.name,
    )


def _clone(row, **changes):
    """A new row with the columns of ``row`` (not its primary key), some changed."""
    mapper = sa.inspect(type(row))
    values = {
        attribute.key: getattr(row, attribute.key)
        for attribute in mapper.column_attrs
        if not any(column.primary_key for column in attribute.columns)
    }
    values.update(changes)
    copy = type(row)(**values)
    db.session.add(copy)
    db.session.flush()
    return copy
