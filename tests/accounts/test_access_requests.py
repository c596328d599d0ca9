"""Schools ask for access; the office approves (user + link) or declines with a reason."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import Role, User
from seal_app.config import DefaultConfig
from seal_app.extensions import db
from tests.conftest import login, text_of

CONFIRMATION = "Vielen Dank, Ihre Anfrage ist eingegangen"


def _request(client, number="75001", email="neu@example.org"):
    return client.post(
        "/register",
        data={
            "school_number": number,
            "name": "Nina Neu",
            "position": "coordinator",
            "email": email,
        },
    )


def _requests(app):
    with app.app_context():
        return db.session.scalars(sa.select(AccessRequest)).all()


def test_unknown_school_number_gets_a_german_message_and_keeps_the_input(client, accounts):
    response = _request(client, number="99999")
    assert "Diese Schulnummer kennen wir nicht" in text_of(response)
    assert 'value="Nina Neu"' in response.get_data(as_text=True)


def test_existing_account_gets_the_same_answer_and_nothing_reveals_it(app, client, accounts):
    fresh = _request(client, email="neu@example.org")
    existing = _request(client, email=accounts["school"])
    assert CONFIRMATION in text_of(fresh) and CONFIRMATION in text_of(existing)
    assert text_of(fresh) == text_of(existing)


def test_repeated_request_is_stored_once(app, client, accounts):
    _request(client)
    _request(client)
    assert len(_requests(app)) == 1


def test_invalid_input_is_listed_in_german(client, accounts):
    response = client.post("/register", data={"school_number": "12a", "name": "", "email": "x"})
    page = text_of(response)
    assert "Bitte korrigieren Sie die folgenden Angaben" in page
    assert "Die Schulnummer besteht aus 4 bis 8 Ziffern." in page
    assert "Bitte geben Sie Ihren Namen ein." in page
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in page


def test_requests_are_rate_limited(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", "2 per hour")
    _request(client, email="a@example.org")
    _request(client, email="b@example.org")
    response = _request(client, email="c@example.org")
    assert response.status_code == 429 and "Zu viele Versuche" in text_of(response)
    assert len(_requests(app)) == 2


def test_office_approves_a_request_creating_the_school_user_with_a_link(app, client, accounts):
    _request(client)
    login(client, accounts["office"])
    listing = text_of(client.get("/office/access-requests"))
    assert "Nina Neu" in listing and "Grundschule am Wall" in listing
    request_id = _requests(app)[0].id
    page = client.post(f"/office/access-requests/{request_id}/approve")
    assert "https://siegel.example.org/password/set/" in page.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "neu@example.org"))
        assert user.role is Role.SCHOOL
        assert [school.school_number for school in user.schools] == ["75001"]
        assert db.session.get(AccessRequest, request_id).status is AccessRequestStatus.APPROVED
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
        assert "access_request.approved" in actions and "user.created" in actions


def test_approving_for_an_existing_school_user_adds_the_school(app, client, make, accounts):
    other_school = make.school(number="75002", name="Regionale Schule Heidberg")
    _request(client, number="75002", email=accounts["school"])
    login(client, accounts["office"])
    response = client.post(
        f"/office/access-requests/{_requests(app)[0].id}/approve", follow_redirects=True
    )
    assert "hatte schon ein Konto" in text_of(response)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == accounts["school"]))
        assert other_school in [school.id for school in user.schools]


def test_decline_needs_a_reason_and_is_shown_as_decided(app, client, accounts):
    _request(client)
    request_id = _requests(app)[0].id
    login(client, accounts["office"])
    empty = client.post(f"/office/access-requests/{request_id}/decline", data={"reason": ""})
    assert "Bitte geben Sie eine Begründung an." in text_of(empty)
    client.post(
        f"/office/access-requests/{request_id}/decline",
        data={"reason": "Bitte über die Schulleitung beantragen."},
    )
    page = text_of(client.get("/office/access-requests"))
    assert "Keine offenen Anfragen." in page
    assert "Bitte über die Schulleitung beantragen." in page
    again = client.post(f"/office/access-requests/{request_id}/approve", follow_redirects=True)
    assert "Über diese Anfrage wurde bereits entschieden." in text_of(again)
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "neu@example.org")) is None


def test_validation_errors_do_not_use_up_the_limit(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", "5 per hour")
    client.post("/register", data={})
    for _ in range(3):
        _request(client, number="99999")  # a mistyped school number
    client.post("/register", data={"school_number": "12a", "name": "", "email": "x"})
    client.post("/register", data={})
    response = _request(client)
    assert response.status_code == 200 and CONFIRMATION in text_of(response)
    assert len(_requests(app)) == 1


def test_staff_of_one_school_can_register_from_one_address(app, client, accounts, monkeypatch):
    default = DefaultConfig.REGISTER_LIMIT_PER_ADDRESS  # the limit a real installation has
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", default)
    for number in range(6):
        response = _request(client, email=f"kollegium{number}@example.org")
        assert CONFIRMATION in text_of(response)
    assert len(_requests(app)) == 6


def test_a_flood_of_attempts_is_capped(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_FLOOD_LIMIT_PER_ADDRESS", "4 per hour")
    for _ in range(4):
        assert _request(client, number="99999").status_code == 200
    assert _request(client).status_code == 429
    assert _requests(app) == []


def test_the_form_is_kept_on_a_429(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", "1 per hour")
    _request(client, email="a@example.org")
    response = _request(client, email="zweite@example.org")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Zu viele Versuche" in text_of(response)
    assert 'value="Nina Neu"' in page and 'value="zweite@example.org"' in page
    assert 'value="75001"' in page
    assert '<option selected value="coordinator">' in page or 'value="coordinator" selected' in page
