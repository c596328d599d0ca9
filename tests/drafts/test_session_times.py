"""How long the login lasts: asking does not extend it; „Angemeldet bleiben“ does, up to the
absolute limit."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from seal_app.auth.models import UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from tests.conftest import login


def _move_session(app, **values) -> None:
    with app.app_context():
        db.session.execute(sa.update(UserSession).values(**values))
        db.session.commit()


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(sa.select(UserSession.last_seen_at))


def test_asking_does_not_count_as_use_renewing_does(app, client, accounts):
    login(client, accounts["school"])
    ten_minutes_ago = utcnow() - timedelta(minutes=10)
    _move_session(app, last_seen_at=ten_minutes_ago)

    status = client.get("/session/status").get_json()

    idle = app.permanent_session_lifetime.total_seconds()
    assert status["active"] and status["extendable"]
    assert idle - 600 - 5 <= status["seconds_left"] <= idle - 600
    assert _last_seen(app) == ten_minutes_ago
    renewed = client.post("/session/renew").get_json()
    assert renewed["seconds_left"] >= idle - 5
    assert _last_seen(app) > ten_minutes_ago


def test_the_absolute_limit_cannot_be_extended(app, client, accounts):
    login(client, accounts["school"])
    _move_session(app, expires_at=utcnow() + timedelta(seconds=90))

    renewed = client.post("/session/renew").get_json()

    assert renewed["active"] and not renewed["extendable"] and renewed["seconds_left"] <= 90


def test_without_a_login_the_answer_says_so(client):
    assert client.get("/session/status").get_json() == {
        "active": False,
        "seconds_left": 0,
        "extendable": False,
    }


def test_renewing_needs_the_csrf_token(app, client, accounts, monkeypatch):
    login(client, accounts["school"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/session/renew").status_code == 400
