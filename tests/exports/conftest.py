"""Fixtures of the export tests: the finished jury meetings of the decision tests."""

from tests.certificates.conftest import agreed, two  # noqa: F401  (fixtures used here)
