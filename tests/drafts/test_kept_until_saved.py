"""A kept draft stays until its form is saved, its owner discards it („Eingaben verwerfen“) or
it expires; the home page names the forms with kept text; the login page after a logout in
another tab does not claim the login had expired."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from seal_app.db_types import utcnow
from seal_app.drafts.models import KeptDraft
from seal_app.extensions import db
from tests.conftest import text_of
from tests.drafts.test_kept_drafts import (
    TYPED,
    _csrf_on,  # noqa: F401  (CSRF checked as in production)
    _drafts,
    _end_sessions,
    _login_to,
    _notice,
    _page,
    _send,
    _tokens,
)

DISCARD = "Eingaben verwerfen"


def _kept_and_back(app, setup, staff_client, application_id) -> str:
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    _end_sessions(app, setup.staff)
    _send(staff_client, path, csrf, token)
    _login_to(staff_client, setup.staff, path)
    return path


def _discard_form(html: str) -> tuple[str, dict[str, str]]:
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*class="draft-discard".*?</form>', html, re.S
    )
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form.group(0)))
    return form.group(1), fields


def test_the_server_copy_is_shown_again_on_every_reload(app, setup, staff_client, application_id):
    path = _kept_and_back(app, setup, staff_client, application_id)
    for _ in range(3):
        page = staff_client.get(path)
        assert TYPED in page.text and _notice(page) == "shown"
        assert DISCARD in text_of(page)
    assert _drafts(app) == [(setup.staff, path)]


def test_discarding_deletes_the_copy_here_and_in_the_browser(
    app, setup, staff_client, application_id
):
    path = _kept_and_back(app, setup, staff_client, application_id)
    action, fields = _discard_form(staff_client.get(path).text)
    assert "csrf_token" in fields and fields.get("path") == path
    answer = staff_client.post(action, data=fields)
    assert answer.status_code == 302 and answer.headers["Location"] == path
    assert _drafts(app) == []
    page = staff_client.get(path)
    assert TYPED not in page.text and _notice(page) == "hidden"
    assert "Ihre Eingaben wurden verworfen." in text_of(page)
    assert f'data-drafts-saved="[&#34;{path}&#34;]"' in page.text  # the browser forgets too


def test_discarding_needs_the_csrf_token_and_touches_only_ones_own(
    app, setup, staff_client, application_id, make
):
    path = _kept_and_back(app, setup, staff_client, application_id)
    action, fields = _discard_form(staff_client.get(path).text)
    refused = staff_client.post(action, data={**fields, "csrf_token": "falsch"})
    assert refused.status_code == 400
    assert _drafts(app) == [(setup.staff, path)]
    colleague = app.test_client()
    _login_to(colleague, setup.colleague, path)
    their_csrf, _token = _tokens(colleague, path)
    colleague.post(action, data={"csrf_token": their_csrf, "path": path})
    assert _drafts(app) == [(setup.staff, path)]
    outside = staff_client.post(action, data={**fields, "path": "https://example.org/"})
    assert outside.status_code == 302 and outside.headers["Location"] == "/"


def test_the_home_page_names_the_forms_with_kept_text(app, setup, staff_client, application_id):
    path = _kept_and_back(app, setup, staff_client, application_id)
    home = staff_client.get("/")
    assert "Sie haben nicht gespeicherte Eingaben:" in text_of(home)
    assert f'href="{path}"' in home.text and "Kriterium A.1" in text_of(home)
    with app.app_context():
        db.session.execute(sa.update(KeptDraft).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    expired = staff_client.get("/")
    assert "nicht gespeicherte Eingaben" not in text_of(expired)
    assert TYPED not in staff_client.get(path).text


def test_after_logging_out_the_login_page_does_not_say_the_login_expired(
    app, setup, staff_client, application_id
):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    other_tab = staff_client  # the same browser: logging out in one tab ends it in all
    other_tab.post("/logout", data={"csrf_token": csrf})
    sent = _send(staff_client, path, csrf, token)
    login_page = text_of(staff_client.get(sent.headers["Location"]))
    assert "abgelaufen" not in login_page
    assert "Sie waren abgemeldet, deshalb wurde nichts gespeichert." in login_page
