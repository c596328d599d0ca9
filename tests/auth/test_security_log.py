"""The security log: logins, failures, refusals, logouts and password changes, for the office."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import SecurityEvent, SecurityEventKind
from seal_app.extensions import db
from tests.conftest import PASSWORD, login, text_of

NEW_PASSWORD = "Leuchtturm-Warnemünde-Sanddorn-7"
AGENT = "Mozilla/5.0 (Testbrowser) " + "x" * 400


def _events(app) -> list[SecurityEvent]:
    with app.app_context():
        query = sa.select(SecurityEvent).order_by(SecurityEvent.id)
        return list(db.session.scalars(query))


def _kinds(app) -> list[SecurityEventKind]:
    return [event.event for event in _events(app)]


def test_success_failure_and_refusal_each_leave_one_entry(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "1 per 15 minutes")
    headers = {"User-Agent": AGENT}
    client.post("/login", data={"email": accounts["office"], "password": PASSWORD}, headers=headers)
    client.post("/logout", headers=headers)  # same browser: strong session protection
    wrong = {"email": " Buero@Example.org", "password": "geheim-falsch"}
    client.post("/login", data=wrong, headers=headers)
    refused = client.post("/login", data=wrong, headers=headers)
    assert refused.status_code == 429
    events = _events(app)
    assert [event.event for event in events] == [
        SecurityEventKind.LOGIN_SUCCEEDED,
        SecurityEventKind.LOGOUT,
        SecurityEventKind.LOGIN_FAILED,
        SecurityEventKind.LOGIN_REFUSED,
    ]
    office_id = events[0].user_id
    assert office_id is not None and events[1].user_id == office_id
    failed = events[2]
    assert failed.email == "buero@example.org"
    assert failed.user_id == office_id  # the account that was tried
    assert events[3].user_id == office_id
    assert failed.address == "127.0.0.1"
    assert failed.user_agent.startswith("Mozilla/5.0 (Testbrowser)")
    assert len(failed.user_agent) == 200
    for event in events:
        assert "geheim-falsch" not in repr(vars(event)) and PASSWORD not in repr(vars(event))


def test_password_changes_are_recorded(app, client, accounts):
    login(client, accounts["office"])
    client.post(
        "/account/password",
        data={
            "current_password": "falsch",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert _kinds(app)[:2] == [
        SecurityEventKind.LOGIN_SUCCEEDED,
        SecurityEventKind.SECOND_FACTOR_SUCCEEDED,
    ]
    assert _kinds(app)[2:] == [
        SecurityEventKind.PASSWORD_CHECK_FAILED,
        SecurityEventKind.PASSWORD_CHANGED,
    ]


def test_the_office_reads_the_log_newest_first_and_filters_it(app, client, accounts):
    login(app.test_client(), "fremd@example.org", "falsch")
    login(app.test_client(), accounts["school"])
    login(client, accounts["office"])
    page = client.get("/office/security-log")
    assert page.status_code == 200
    text = text_of(page)
    assert "Sicherheitsprotokoll" in text
    assert text.index(accounts["office"]) < text.index(accounts["school"])
    assert text.index(accounts["school"]) < text.index("fremd@example.org")
    assert "Anmeldung fehlgeschlagen" in text and "Anmeldung erfolgreich" in text
    html = page.get_data(as_text=True)
    assert 'class="kern-table-responsive" tabindex="0" role="region"' in html
    only_failed = text_of(client.get("/office/security-log?event=login.failed"))
    assert "fremd@example.org" in only_failed and accounts["school"] not in only_failed
    by_email = text_of(client.get("/office/security-log?email=FREMD"))
    assert "fremd@example.org" in by_email and accounts["office"] not in by_email
    assert client.get("/office/security-log?page=99999999999999999999999").status_code == 200
    assert client.get("/office/security-log?event=nonsense").status_code == 200


def test_the_log_pages_through_all_entries(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "SECURITY_LOG_PER_PAGE", 2)
    for number in range(3):
        login(app.test_client(), f"person{number}@example.org", "falsch")
    login(client, accounts["office"])  # two entries: the password, then the second factor
    first = text_of(client.get("/office/security-log"))
    assert "Seite 1 von 3" in first and "person0@example.org" not in first
    last = text_of(client.get("/office/security-log?page=3"))
    assert "person0@example.org" in last


def test_only_the_office_sees_the_log(app, accounts):
    for role in ("school", "assessor"):
        client = app.test_client()
        login(client, accounts[role])
        assert client.get("/office/security-log").status_code == 403
    anonymous = app.test_client().get("/office/security-log")
    assert anonymous.headers["Location"].startswith("/login")


def test_the_office_navigation_links_the_log(client, accounts):
    login(client, accounts["office"])
    assert 'href="/office/security-log"' in client.get("/").get_data(as_text=True)


def test_a_failed_login_names_the_account_tried_and_only_an_existing_one(app, client, accounts):
    login(app.test_client(), accounts["school"], "falsch")
    login(app.test_client(), "fremd@example.org", "falsch")
    login(client, accounts["office"])
    html = client.get("/office/security-log?event=login.failed").get_data(as_text=True)
    rows = html.split('<tr class="kern-table__row">')[1:]
    tried = next(row for row in rows if accounts["school"] in row)
    unknown = next(row for row in rows if "fremd@example.org" in row)
    assert "/office/users/" in tried and "kein Konto" not in tried
    assert "kein Konto" in unknown
