"""Text limits on the criterion page: the browser never cuts pasted text, line breaks count
once, and the server says how much is too much while keeping the text."""

from __future__ import annotations

import html
import re

from tests.applications.conftest import criterion_data, load, post_criterion
from tests.conftest import text_of

PASTED = ("Wir üben zweimal im Jahr die Räumung. " * 300)[:10_050]


def _textarea(page_html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page_html, re.S)
    assert match, f"no textarea {name}"
    return html.unescape(match.group(1))


def test_pasted_text_over_the_limit_is_refused_and_kept(staff_client, application_id):
    response = post_criterion(staff_client, application_id, "A.1", criterion_data(measures=PASTED))
    assert response.status_code == 200
    assert "Der Text ist 50 Zeichen zu lang (höchstens 10.000 Zeichen)." in text_of(response)
    assert _textarea(response.get_data(as_text=True), "measures") == PASTED


def test_line_breaks_count_once_and_are_stored_as_one(app, staff_client, application_id):
    lines = ["x" * 99] * 100  # 9,900 characters and 99 line breaks: 9,999 as the person sees it
    typed = "\n".join(lines)
    assert len(typed) == 9_999
    sent = typed.replace("\n", "\r\n")  # what a browser submits
    response = post_criterion(staff_client, application_id, "A.1", criterion_data(measures=sent))
    assert response.status_code == 302, text_of(response)
    assert load(app, application_id).answer_for("A.1").measures == typed


def test_since_field_shows_its_limit_instead_of_cutting(staff_client, application_id):
    page = staff_client.get(f"/applications/{application_id}/criteria/A.1").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="since"[^>]*>', page).group(0)
    assert "maxlength" not in field
    assert 'aria-describedby="since-limit"' in field
    assert '<div class="kern-hint" id="since-limit">Höchstens 100 Zeichen.</div>' in page
    long_since = "Seit dem Schuljahr 2019/2020, zuerst in Klasse 5, " * 3
    data = criterion_data()
    data["since"] = long_since
    response = post_criterion(staff_client, application_id, "A.1", data)
    assert "Der Text ist 50 Zeichen zu lang (höchstens 100 Zeichen)." in text_of(response)
    assert f'value="{long_since}"' in response.get_data(as_text=True)


def test_criterion_and_votes_pages_have_no_maxlength(staff_client, application_id):
    for url in ("criteria/A.1", "votes"):
        page = staff_client.get(f"/applications/{application_id}/{url}").get_data(as_text=True)
        assert "<form" in page and "maxlength" not in page
