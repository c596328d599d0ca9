"""Fixtures of the credential tests: an awarded application with its certificate."""

from __future__ import annotations

import pytest

from tests.certificates.conftest import agreed  # noqa: F401  (the finished jury meeting)
from tests.certificates.decision_setup import award
from tests.reviews.jury_setup import Meeting, client_of


@pytest.fixture
def awarded(app, agreed) -> Meeting:  # noqa: F811
    award(app, client_of(app, agreed.office), agreed.application_id)
    return agreed
