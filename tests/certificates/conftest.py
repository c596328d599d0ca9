"""Fixtures of the decision tests: finished jury meetings."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from seal_app.applications.models import Application
from seal_app.extensions import db
from tests.certificates.certificate_setup import award
from tests.certificates.decision_setup import agree_all, with_advice
from tests.reviews.jury_setup import (
    Meeting,
    assign,
    build_meeting,
    submit_review,
    submitted_application,
)


@dataclass
class Round:
    meeting: Meeting
    second_application_id: int


@pytest.fixture
def agreed(app, make) -> Meeting:
    """A finished meeting: every criterion level 2, so the award rule is met."""
    meeting = build_meeting(app, make)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    with_advice(app, meeting.first_assignment_id, "Üben Sie die Räumung im Winter.")
    with_advice(app, meeting.second_assignment_id, "Beziehen Sie den Schülerrat ein.")
    agree_all(app, meeting.application_id)
    return meeting


@pytest.fixture
def awarded(app, agreed) -> Meeting:
    """The finished meeting's application awarded and released, its certificate issued."""
    return award(app, agreed)


@pytest.fixture
def two(app, make, agreed) -> Round:
    """A second application of the same round, also agreed."""
    school_id = make.school(number="75009", name="Regionale Schule Heidberg")
    with app.app_context():
        first = db.session.get(Application, agreed.application_id)
        application = submitted_application(school_id, first.round_id, self_rating=1)
        ids = [
            assign(application.id, make.user_id(email)) for email in (agreed.first, agreed.second)
        ]
        db.session.commit()
        second_id = application.id
    for assignment_id in ids:
        submit_review(app, assignment_id, default=1)
    agree_all(app, second_id)
    return Round(agreed, second_id)
