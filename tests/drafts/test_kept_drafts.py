"""Text sent after the login ended is kept for the person who typed it, and only for them:
put back into the form after logging in, with a notice, until it is saved or discarded."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import User, UserSession
from seal_app.db_types import utcnow
from seal_app.drafts import services, tokens
from seal_app.drafts.models import KeptDraft
from seal_app.extensions import db
from tests.applications import samples
from tests.applications.conftest import criterion_data, upload
from tests.conftest import PASSWORD, text_of

TYPED = "Unser Krisenteam trifft sich jeden Montag – vor dem Ablauf getippt."
NOTICE = "Ihre Eingaben sind wieder da – noch nicht gespeichert"
FILES_AGAIN = "Bitte wählen Sie sie noch einmal aus."


@pytest.fixture(autouse=True)
def _csrf_on(app, monkeypatch, application_id):
    """CSRF checked as in production, once the application is started."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _page(application_id: int, code: str = "A.1") -> str:
    return f"/applications/{application_id}/criteria/{code}"


def _tokens(client, path: str) -> tuple[str, str]:
    """(CSRF token, draft token) of the first form on the page."""
    html = client.get(path).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    draft = re.search(r'name="draft_token" value="([^"]+)"', html).group(1)
    return csrf, draft


def _notice(page) -> str:
    """„shown“, „with files“ (the sentence about choosing files again) or „hidden“."""
    html = page.get_data(as_text=True)
    if 'id="draft-notice">' not in html:
        return "hidden"
    return "with files" if 'id="draft-notice-files">' in html else "shown"


def _end_sessions(app, email: str) -> None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == user.id)
            .values(last_seen_at=utcnow() - timedelta(hours=9))
        )
        db.session.commit()


def _drafts(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (user.email, draft.path)
            for draft, user in db.session.execute(
                sa.select(KeptDraft, User).join(User, User.id == KeptDraft.user_id)
            )
        ]


def _send(client, path: str, csrf: str, token: str, **extra):
    data = criterion_data(measures=TYPED, csrf_token=csrf, draft_token=token, **extra)
    return client.post(path, data=data, content_type="multipart/form-data")


def _login_to(client, email: str, target: str):
    page = client.get(f"/login?next={target}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(
        f"/login?next={target}", data={"email": email, "password": PASSWORD, "csrf_token": csrf}
    )


def test_session_ended_on_the_server_text_comes_back_after_login(
    app, setup, staff_client, application_id
):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    _end_sessions(app, setup.staff)

    sent = _send(staff_client, path, csrf, token, file_1=upload(samples.pdf(), "konzept.pdf"))

    assert sent.status_code == 303
    assert sent.headers["Location"].startswith("/login?next=")
    login_page = staff_client.get(sent.headers["Location"])
    assert "Ihre Eingaben sind aufbewahrt" in text_of(login_page)
    assert _drafts(app) == [(setup.staff, path)]
    back = _login_to(staff_client, setup.staff, path)
    assert back.headers["Location"] == path
    page = staff_client.get(path)
    html = page.get_data(as_text=True)
    assert TYPED in html and _notice(page) == "with files"
    assert NOTICE in text_of(page) and FILES_AGAIN in text_of(page)
    assert re.search(r'checked[^>]*id="self_rating-2"', html)  # the chosen self-rating too
    assert _drafts(app) == [(setup.staff, path)]  # kept until saved, discarded or expired
    again = staff_client.get(path)  # a reload on a device without the browser's copy
    assert TYPED in again.get_data(as_text=True) and _notice(again) == "with files"


def test_cookie_lost_and_csrf_refused_the_text_is_kept(app, setup, staff_client, application_id):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    fresh = app.test_client()  # cookies deleted: no session, the CSRF token fits nothing

    sent = _send(fresh, path, csrf, token)

    assert sent.status_code == 303 and "/login" in sent.headers["Location"]
    _login_to(fresh, setup.staff, path)
    page = fresh.get(path)
    assert TYPED in page.get_data(as_text=True)
    assert _notice(page) == "shown"


def test_another_account_never_sees_the_text_and_it_is_discarded(
    app, setup, staff_client, application_id
):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    browser = app.test_client()
    _send(browser, path, csrf, token)
    assert _drafts(app) == [(setup.staff, path)]

    _login_to(browser, setup.colleague, path)  # a colleague with access to the same page
    page = browser.get(path)

    assert TYPED not in page.get_data(as_text=True) and _notice(page) == "hidden"
    assert _drafts(app) == []


def test_another_account_logging_in_elsewhere_does_not_get_it(
    app, setup, staff_client, application_id
):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    _send(app.test_client(), path, csrf, token)
    colleague = app.test_client()
    _login_to(colleague, setup.colleague, path)

    assert TYPED not in colleague.get(path).get_data(as_text=True)
    assert _drafts(app) == [(setup.staff, path)]  # still the owner's


def test_saving_the_form_deletes_the_kept_draft(app, setup, staff_client, application_id):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    _send(app.test_client(), path, csrf, token)
    assert _drafts(app) != []

    # the form was open in a second tab of the still logged-in person, and is saved there
    saved = _send(staff_client, path, csrf, token)

    assert saved.status_code == 302, text_of(saved)
    assert _drafts(app) == []


def app_user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


@pytest.mark.parametrize("case", ["forged", "expired", "other user", "other path"])
def test_only_a_valid_token_for_this_page_keeps_anything(
    app, setup, staff_client, application_id, case, monkeypatch
):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    with app.test_request_context():
        if case == "forged":
            token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
        elif case == "expired":
            now = time.time()
            monkeypatch.setattr(time, "time", lambda: now - 25 * 3600)
            token = tokens.make_token(app_user_id(app, setup.staff), path)
            monkeypatch.undo()
            monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
        elif case == "other user":
            token = tokens.make_token(app_user_id(app, setup.colleague), path)
        else:
            token = tokens.make_token(app_user_id(app, setup.staff), _page(application_id, "A.2"))
    fresh = app.test_client()
    sent = _send(fresh, path, csrf, token)

    if case == "other user":  # kept, but for the person named in the token, never the sender
        assert _drafts(app) == [(setup.colleague, path)]
        _login_to(fresh, setup.staff, path)
        assert TYPED not in fresh.get(path).get_data(as_text=True)
    else:
        assert _drafts(app) == []
        assert sent.status_code in (302, 303, 400)


def test_passwords_files_and_tokens_are_never_kept(app, setup, staff_client):
    fields = services.keepable_fields(
        [
            ("csrf_token", "abc"),
            ("response-csrf_token", "abc"),
            ("draft_token", "xyz"),
            ("current_password", "Geheim-12345"),
            ("new_password", "Geheim-67890"),
            ("measures", TYPED),
        ]
    )
    assert fields == [["measures", TYPED]]
    csrf, token = _tokens(staff_client, "/account/password")
    _end_sessions(app, setup.staff)
    staff_client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "draft_token": token,
            "current_password": PASSWORD,
            "new_password": "Ganz-neues-Passwort-2027",
            "new_password_confirm": "Ganz-neues-Passwort-2027",
        },
    )
    assert _drafts(app) == []  # nothing but passwords: nothing kept


def test_a_file_is_never_kept(app, setup, staff_client, application_id):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    _send(app.test_client(), path, csrf, token, file_1=upload(samples.pdf(), "geheim-name.pdf"))
    with app.app_context():
        draft = db.session.scalar(sa.select(KeptDraft))
        assert draft.had_files and "geheim-name" not in draft.fields and "%PDF" not in draft.fields


def test_wrong_csrf_token_while_logged_in_shows_the_text_again(
    app, setup, staff_client, application_id
):
    path = _page(application_id)
    _csrf, token = _tokens(staff_client, path)

    sent = _send(staff_client, path, "falsch", token)

    assert sent.status_code == 303 and sent.headers["Location"] == path
    page = staff_client.get(path)
    assert TYPED in page.get_data(as_text=True)
    assert "Das Formular war abgelaufen" in text_of(page) and _notice(page) == "shown"


def test_submitted_by_a_colleague_meanwhile_the_text_is_shown_to_copy(
    app, setup, staff_client, application_id
):
    path = _page(application_id)
    csrf, token = _tokens(staff_client, path)
    with app.app_context():
        db.session.get(Application, application_id).status = ApplicationStatus.SUBMITTED
        db.session.commit()

    refused = _send(staff_client, path, csrf, token)

    assert refused.status_code == 409
    assert "Ihr Text, nicht gespeichert" in text_of(refused)
    assert TYPED in refused.get_data(as_text=True)
