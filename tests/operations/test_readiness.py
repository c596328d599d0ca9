"""/readyz for a load balancer: 200 with every check passing; 503 naming the check when the
database, Redis, the background work or the disk space is not as it must be. And the German
503 page, never a traceback, when the database is gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.models import MessageState, OutboxMessage
from tests.conftest import text_of
from tests.mail_server import free_port


def test_ready_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert {"database", "backlog", "disk_uploads", "disk_print"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())


def test_outsiders_learn_only_whether_each_check_passed(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "READY_MIN_FREE_BYTES", 2**62)
    outside = client.get("/readyz", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 503
    checks = outside.get_json()["checks"]
    assert checks["disk_uploads"] == {"ok": False} and checks["database"] == {"ok": True}
    inside = client.get("/readyz").get_json()["checks"]  # loopback, as /metrics
    assert inside["disk_uploads"]["free_bytes"] < inside["disk_uploads"]["min_free_bytes"]


def test_not_ready_without_the_database(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["database"] == {"ok": False}
    assert checks["disk_uploads"]["ok"]  # the others still say what they saw


def test_not_ready_when_redis_does_not_answer(app, client):
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    saved = app.config["RATELIMIT_STORAGE_URI"]
    app.config["RATELIMIT_STORAGE_URI"] = unreachable
    try:
        response = client.get("/readyz")
    finally:
        app.config["RATELIMIT_STORAGE_URI"] = saved
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis_rate_limits"] == {
        "ok": False,
        "error": "ConnectionError",
    }


def test_not_ready_when_the_disk_is_nearly_full(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "READY_MIN_FREE_BYTES", 2**62)  # more than any disk has
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert not checks["disk_uploads"]["ok"] and not checks["disk_print"]["ok"]
    assert checks["disk_uploads"]["free_bytes"] < checks["disk_uploads"]["min_free_bytes"]


def test_not_ready_when_mail_waits_longer_than_allowed(app, client):
    with app.app_context():
        db.session.add(
            OutboxMessage(
                event="test",
                event_key="test-1",
                recipient="a@example.org",
                subject="Betreff",
                body_text="Text",
                body_html="<p>Text</p>",
                state=MessageState.QUEUED,
                next_attempt_at=utcnow() - timedelta(hours=1),
            )
        )
        db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    backlog = response.get_json()["checks"]["backlog"]
    assert not backlog["ok"] and backlog["lag_seconds"] >= 3600


@pytest.mark.parametrize("path", ["/", "/siegelschulen", "/verify/2025-001"])
def test_the_german_503_page_while_the_database_is_gone(client, database_down, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    page = text_of(response)
    assert "Der Dienst ist gerade nicht erreichbar" in page
    assert "Traceback" not in page and "Fehlercode 503" in page


def test_a_login_sent_while_the_database_is_gone_gets_the_german_page(
    app, client, accounts, database_down
):
    response = client.post("/login", data={"email": accounts["school"], "password": "x"})
    assert response.status_code == 503
    assert "Der Dienst ist gerade nicht erreichbar" in text_of(response)


def test_a_connection_that_died_during_the_request_does_not_break_the_answer(
    app, client, monkeypatch
):
    from seal_app.extensions import db

    session_type = type(db.session.session_factory())
    close = session_type.close

    def server_gone(session):  # the first rollback meets a server that went away
        monkeypatch.setattr(session_type, "close", close)
        raise sa.exc.OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(session_type, "close", server_gone)
    response = client.get("/siegelschulen")
    monkeypatch.undo()
    assert response.status_code == 200


def test_the_database_gone_in_a_hook_after_the_view_still_gets_the_german_page(
    app, client, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page answers
    monkeypatch.setattr(app, "testing", False)

    def gone(response):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    app.after_request_funcs[None].insert(0, gone)
    try:
        response = client.get("/siegelschulen")
    finally:
        app.after_request_funcs[None].remove(gone)
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 503
    assert "Der Dienst ist gerade nicht erreichbar" in text_of(response)
