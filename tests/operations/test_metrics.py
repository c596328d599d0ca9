"""/metrics: Prometheus' text from the configured networks or with the token; to anyone else
the page does not exist."""

from __future__ import annotations

import pytest


@pytest.fixture
def token(app, monkeypatch) -> str:
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-metrics-token")
    return "s3cret-metrics-token"


def test_metrics_from_loopback_count_requests_and_the_background_work(client):
    client.get("/")
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'seal_http_request_total{method="GET",status="200"}' in text
    assert 'seal_outbox_messages{state="queued"} 0.0' in text
    assert 'seal_print_jobs{state="running"} 0.0' in text
    assert "seal_queue_tasks " in text and "seal_outbox_oldest_due_seconds 0.0" in text


def test_metrics_from_outside_do_not_exist(client, token):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 404
    assert "seal_" not in response.get_data(as_text=True)
    wrong = client.get(
        "/metrics",
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
        headers={"Authorization": "Bearer falsch"},
    )
    assert wrong.status_code == 404


def test_metrics_from_outside_with_the_token(client, token):
    response = client.get(
        "/metrics",
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert "seal_print_jobs" in response.get_data(as_text=True)


def test_a_configured_network_reaches_metrics(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS", "10.0.0.0/8, ::1/128")
    inside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    loopback = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert inside.status_code == 200 and loopback.status_code == 404
