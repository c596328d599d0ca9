"""A failed form is unmistakable on every page: the title starts with „Fehler:“, the error
summary stands above the heading, is focused on load and links to each field."""

from __future__ import annotations

import re

from tests.conftest import login

SUMMARY = 'class="kern-alert kern-alert--danger error-summary"'


def assert_error_pattern(response) -> None:
    page = response.get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith("Fehler: "), title
    assert page.count(SUMMARY) == 1, "one summary per page"
    summary_at = page.index(SUMMARY)
    assert summary_at < page.index("<h1"), "the summary stands above the heading"
    assert summary_at > page.index('<main id="content"')
    summary = page[page.rfind("<div", 0, summary_at) : page.index("</ul>", summary_at)]
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets, "each error links to its field"
    for target in targets:
        assert f'id="{target}"' in page, f"#{target} is not on the page"


def test_login(client, accounts):
    assert_error_pattern(client.post("/login", data={"email": "", "password": ""}))


def test_registration(client):
    response = client.post(
        "/register",
        data={"school_number": "7500", "name": "", "position": "head", "email": "x"},
    )
    assert_error_pattern(response)
    assert 'value="7500"' in response.get_data(as_text=True)


def test_school_edit(client, make, accounts):
    school_id = make.school(number="75010", name="Schule am See")
    login(client, accounts["office"])
    response = client.post(f"/office/schools/{school_id}/edit", data={"name": ""})
    assert_error_pattern(response)


def test_change_password(client, accounts):
    login(client, accounts["school"])
    assert_error_pattern(client.post("/account/password", data={}))


def test_pages_without_errors_have_a_plain_title(client):
    page = client.get("/login").get_data(as_text=True)
    assert "<title>Anmelden" in page and SUMMARY not in page
