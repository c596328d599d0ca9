"""Server-side sessions: logout ends them, they end on their own, only key hashes are stored."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from seal_app.auth.models import UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from tests.conftest import PASSWORD, login

COOKIE = "seal_session"
NEW_PASSWORD = "Leuchtturm-Warnemünde-Sanddorn-7"


def _saved_cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def _is_logged_in(client) -> bool:
    return client.get("/office/users").status_code == 200


def test_a_cookie_saved_before_logout_is_refused_afterwards(app, accounts):
    client = app.test_client()
    login(client, accounts["office"])
    saved = _saved_cookie(client)
    assert _is_logged_in(client)
    client.post("/logout")
    client.set_cookie(COOKIE, saved)  # replayed by whoever copied it
    response = client.get("/office/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_ends_at_its_absolute_lifetime_however_busy(app, accounts):
    client = app.test_client()
    login(client, accounts["office"])
    assert _is_logged_in(client)
    with app.app_context():
        user_session = db.session.scalar(sa.select(UserSession))
        hours = app.config["SESSION_ABSOLUTE_HOURS"]
        assert user_session.expires_at - user_session.created_at == timedelta(hours=hours)
        user_session.created_at = utcnow() - timedelta(hours=hours, minutes=1)
        user_session.expires_at = utcnow() - timedelta(minutes=1)
        user_session.last_seen_at = utcnow()  # used a moment ago: still refused
        db.session.commit()
    assert not _is_logged_in(client)


def test_a_session_unused_for_the_idle_lifetime_ends(app, accounts):
    client = app.test_client()
    login(client, accounts["office"])
    with app.app_context():
        user_session = db.session.scalar(sa.select(UserSession))
        user_session.last_seen_at = utcnow() - app.permanent_session_lifetime
        db.session.commit()
    assert not _is_logged_in(client)


def test_use_is_noted_so_the_idle_lifetime_starts_again(app, accounts):
    client = app.test_client()
    login(client, accounts["office"])
    earlier = utcnow() - timedelta(hours=1)
    with app.app_context():
        db.session.execute(sa.update(UserSession).values(last_seen_at=earlier))
        db.session.commit()
    assert _is_logged_in(client)
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.last_seen_at)) > earlier


def test_changing_the_password_ends_every_other_session_and_renews_this_one(app, accounts):
    first, second = app.test_client(), app.test_client()
    login(first, accounts["office"])
    login(second, accounts["office"])
    before = _saved_cookie(first)
    first.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert _is_logged_in(first) and not _is_logged_in(second)
    replay = app.test_client()
    replay.set_cookie(COOKIE, before)
    assert not _is_logged_in(replay)  # the session before the change is over as well


def test_disabling_a_user_ends_their_sessions(app, accounts, make):
    client = app.test_client()
    login(client, accounts["assessor"])
    office = app.test_client()
    login(office, accounts["office"])
    office.post(
        f"/office/users/{make.user_id(accounts['assessor'])}/edit",
        data={"name": "Erika Mustermann", "role": "assessor", "position": "head"},
    )
    assert client.get("/").status_code == 200
    assert client.get("/account/password").headers["Location"].startswith("/login")
    with app.app_context():
        assessor_id = make.user_id(accounts["assessor"])
        query = sa.select(UserSession.ended_at).where(UserSession.user_id == assessor_id)
        assert db.session.scalar(query) is not None


def test_each_login_gets_a_new_key_and_only_its_hash_is_stored(app, accounts):
    client = app.test_client()
    login(client, accounts["office"])
    with client.session_transaction() as session:
        first_key = session["_user_id"].split(":", 1)[1]
    client.post("/logout")
    login(client, accounts["office"])
    with client.session_transaction() as session:
        second_key = session["_user_id"].split(":", 1)[1]
    assert first_key != second_key and len(first_key) >= 40
    with app.app_context():
        stored = db.session.scalars(sa.select(UserSession.key_hash)).all()
    assert len(stored) == 2 and first_key not in stored and second_key not in stored


def test_a_forged_session_id_without_a_server_session_is_refused(app, accounts, make):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{make.user_id(accounts['office'])}:made-up-key"
    assert not _is_logged_in(client)


def test_remember_me_is_not_used(app, accounts):
    client = app.test_client()
    response = login(client, accounts["office"])
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and not any(cookie.startswith("remember_token") for cookie in cookies)
    with client.session_transaction() as session:
        assert session.get("_remember") != "set"
