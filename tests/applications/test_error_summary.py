"""The error summary on the application's pages: above the heading, focused, linked."""

from __future__ import annotations

import html
import re

from tests.applications import samples
from tests.applications.conftest import criterion_data, post_criterion, upload
from tests.applications.test_journey import _complete_everything
from tests.applications.test_requests import _request_more
from tests.test_error_summary import assert_error_pattern


def test_criterion_page(staff_client, application_id):
    response = post_criterion(
        staff_client, application_id, "A.1", criterion_data(measures="x" * 10_001)
    )
    assert_error_pattern(response)


def test_votes_page(staff_client, application_id):
    response = staff_client.post(
        f"/applications/{application_id}/votes",
        data={"school_conference-document": upload(samples.pdf(), "Beschluss.pdf")},
        content_type="multipart/form-data",
    )
    assert_error_pattern(response)
    assert "Beschluss der Schulkonferenz – Datum: Bitte geben Sie das Datum an." in (
        response.get_data(as_text=True)
    )


def test_response_form_on_the_criterion_page(app, setup, staff_client, application_id):
    """The criterion page carries two forms; the summary covers the one that failed."""
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    _request_more(app, application_id, setup)
    response = staff_client.post(
        f"/applications/{application_id}/criteria/A.1/response",
        data={"response-text": "x" * 10_001, "response-version": ""},
        content_type="multipart/form-data",
    )
    assert_error_pattern(response)
    assert 'href="#response-text"' in response.get_data(as_text=True)


def _summary_lines(response) -> list[str]:
    """The linked lines of the error summary, in their order."""
    page = response.get_data(as_text=True)
    start = page.index('class="kern-alert kern-alert--danger error-summary"')
    summary = page[start : page.index("</ul>", start)]
    return [html.unescape(line).strip() for line in re.findall(r"<a [^>]*>([^<]*)</a>", summary)]


def test_summary_lists_errors_in_page_order_without_doubled_punctuation(
    staff_client, application_id
):
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            measures="x" * 10_001,
            since="y" * 101,
            file_1=upload(samples.pdf(), "Konzept.pdf"),
        ),
    )
    lines = _summary_lines(response)
    assert lines[0].startswith("Was tut Ihre Schule zu diesem Kriterium: Der Text ist 1 Zeichen")
    assert lines[1].startswith("Seit wann: Der Text ist 1 Zeichen zu lang")
    assert lines[2].startswith("Beschreibung von Datei 1")
    assert not any("?:" in line for line in lines)
