"""The application fixtures (an open round, a school with two staff members, a draft
application) serve the kept-draft tests too."""

from tests.applications.conftest import application_id, setup, staff_client  # noqa: F401
