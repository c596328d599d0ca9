"""Pages with a login form or a one-time link's account are never kept in a cache."""

from __future__ import annotations

import re

from seal_app.auth.models import Role
from tests.conftest import login


def _no_store(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store"


def test_the_login_form_is_not_cached_for_anonymous_visitors(client):
    assert _no_store(client.get("/login"))
    assert _no_store(client.post("/login", data={"email": "a@example.org", "password": "x"}))


def test_a_one_time_link_and_the_pages_that_show_it_are_not_cached(app, client, accounts, make):
    login(client, accounts["office"])
    created = client.post(
        "/office/users/new",
        data={
            "email": "neu@example.org",
            "name": "Nina Neu",
            "role": "assessor",
            "position": "head",
        },
    )
    assert "/password/set/" in created.get_data(as_text=True) and _no_store(created)
    issued = client.post(f"/office/users/{make.user_id('neu@example.org')}/password-link")
    assert _no_store(issued)
    link = re.search(r'<code id="password-link">([^<]+)</code>', issued.get_data(as_text=True))
    path = link.group(1).replace("https://siegel.example.org", "")
    client.post("/logout")
    moved = client.get(path)
    assert moved.status_code == 303 and _no_store(moved)
    page = client.get(moved.location)
    assert page.status_code == 200 and "neu@example.org" in page.get_data(as_text=True)
    assert _no_store(page)
    assert _no_store(client.get("/password/set/not-a-token"))


def test_the_access_request_form_is_not_cached(client):
    assert _no_store(client.get("/register"))


def test_public_pages_without_personal_data_may_be_cached(client, make):
    make.user(Role.OFFICE)
    assert not _no_store(client.get("/catalogue/"))
