"""Fixtures of the credential tests: an awarded application with its certificate."""

from __future__ import annotations

import pytest

from tests.certificates.conftest import agreed  # noqa: F401  (the finished jury meeting)
from tests.certificates.decision_setup import decide, release, round_id_of, stored_decision
from tests.reviews.jury_setup import Meeting, client_of


@pytest.fixture
def awarded(app, agreed) -> Meeting:  # noqa: F811
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    decision = stored_decision(app, agreed.application_id)
    assert release(office, round_id_of(app, agreed.application_id), [decision]).status_code == 302
    return agreed
