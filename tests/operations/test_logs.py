"""One JSON access line per request, written by the app itself, with the request id (taken
from X-Request-ID or made, and echoed), the user id, route, status and duration; nothing in
any line that identifies or unlocks an account."""

from __future__ import annotations

import json
import logging

import pytest

from seal_app.operations.logs import JsonFormatter, scrub
from tests.conftest import login

FIELDS = {"time", "level", "request_id", "user_id", "route", "status", "duration_ms"}


@pytest.fixture
def access_lines(caplog):
    caplog.set_level(logging.INFO, logger="seal_app.access")

    def lines() -> list[dict]:
        formatter = JsonFormatter()
        records = [r for r in caplog.records if r.name == "seal_app.access"]
        return [json.loads(formatter.format(record)) for record in records]

    return lines


def test_a_page_a_form_a_download_and_the_health_checks_each_write_one_line(
    app, client, accounts, access_lines, make
):
    assert login(client, accounts["office"]).status_code == 302
    client.get("/")
    client.get("/siegelschulen.csv")
    client.get("/healthz")
    client.get("/readyz")
    lines = access_lines()
    assert [(line["route"], line["status"]) for line in lines] == [
        ("auth.login", 302),  # the password: on to the second factor
        ("twofactor.verify", 302),
        ("main.home", 200),
        ("public_seals.sealed_schools_csv", 200),
        ("main.healthz", 200),
        ("operations.readyz", 200),
    ]
    office_id = make.user_id(accounts["office"])
    for line in lines:
        assert set(line) >= FIELDS and line["level"] == "INFO"
        assert line["duration_ms"] >= 0 and len(line["request_id"]) == 32
    # known from the password on, logged in once the second factor is confirmed
    assert [line["user_id"] for line in lines][1:] == [office_id] * 5


def test_a_not_found_a_refusal_and_an_error_page_write_their_status(
    client, accounts, access_lines, database_down
):
    login(client, accounts["school"])  # refused: the database is gone
    client.get("/gibt-es-nicht")
    client.get("/siegelschulen")  # the database is gone: the German 503 page
    statuses = [(line["route"], line["status"]) for line in access_lines()]
    assert statuses == [
        ("auth.login", 503),
        (None, 404),
        ("public_seals.sealed_schools", 503),
    ]


def test_the_request_id_is_taken_from_the_proxy_or_made_and_echoed(client, access_lines):
    given = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a9c01-77"})
    made = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert given.headers["X-Request-ID"] == "lb-4f2a9c01-77"
    assert made.headers["X-Request-ID"] != "<script>" and len(made.headers["X-Request-ID"]) == 32
    assert [line["request_id"] for line in access_lines()] == [
        "lb-4f2a9c01-77",
        made.headers["X-Request-ID"],
    ]


def test_a_one_time_link_and_a_search_are_logged_without_token_or_query(client, access_lines):
    client.get("/password/set/AbCdEf0123456789-_xyz")
    client.get("/siegelschulen?q=Anke.Buettner@example.org")
    paths = [line["path"] for line in access_lines()]
    assert paths == ["/password/set/[…]", "/siegelschulen"]


def test_the_safety_net_removes_addresses_passwords_and_tokens():
    text = scrub(
        "mail to anke.buettner@landkreis-rostock.de failed; password=Geheim123 "
        '{"token": "abc123def456"} Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.x.y '
        "/password/set/AbCdEf0123456789"
    )
    assert "anke" not in text and "Geheim123" not in text and "abc123def456" not in text
    assert "eyJhbGci" not in text and "AbCdEf0123456789" not in text
    assert "[E-Mail]" in text and "password=[…]" in text


def test_an_exception_is_one_json_line_without_personal_data(caplog):
    logger = logging.getLogger("seal_app.test")
    try:
        raise ValueError("no account for jana.voss@example.org")
    except ValueError:
        logger.exception("lookup failed for %s", "jana.voss@example.org")
    line = JsonFormatter().format(caplog.records[-1])
    parsed = json.loads(line)
    assert "\n" not in line and "Traceback" in parsed["exception"]
    assert "jana.voss" not in line
