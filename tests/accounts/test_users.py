"""The office creates and changes users; new users get a one-time link."""

from __future__ import annotations

import re

from seal_app.auth.models import Role, User
from seal_app.extensions import db
from tests.conftest import login, text_of


def test_office_creates_a_school_user_who_sets_a_password_and_logs_in(app, client, accounts):
    login(client, accounts["office"])
    page = client.post(
        "/office/users/new",
        data={
            "email": "Lehrer@Example.org",
            "name": "Lars Lehrer",
            "role": "school",
            "school_numbers": "75001",
            "position": "coordinator",
        },
    )
    link = re.search(r"https://siegel\.example\.org(/password/set/[\w-]+)", page.get_data(True))
    assert link, text_of(page)
    client.post("/logout")
    client.post(
        link.group(1),
        data={
            "new_password": "Ostseewelle-Kranich-88",
            "confirm_password": "Ostseewelle-Kranich-88",
        },
    )
    assert login(client, "lehrer@example.org", "Ostseewelle-Kranich-88").status_code == 302
    assert "Grundschule am Wall" in text_of(client.get("/"))


def test_duplicate_email_and_unknown_school_numbers_are_refused(client, accounts):
    login(client, accounts["office"])
    duplicate = client.post(
        "/office/users/new",
        data={"email": accounts["assessor"], "name": "X", "role": "assessor", "position": "head"},
    )
    assert "Für diese E-Mail-Adresse gibt es schon ein Konto." in text_of(duplicate)
    unknown = client.post(
        "/office/users/new",
        data={
            "email": "neu@example.org",
            "name": "X",
            "role": "school",
            "school_numbers": "75001, 11111",
            "position": "head",
        },
    )
    assert "Unbekannte Schulnummer: 11111" in text_of(unknown)


def test_disabling_a_user_signs_them_out(app, accounts, make):
    office, victim = app.test_client(), app.test_client()
    login(office, accounts["office"])
    login(victim, accounts["assessor"])
    user_id = make.user_id(accounts["assessor"])
    office.post(
        f"/office/users/{user_id}/edit",
        data={"name": "Jonas Gutmann", "role": "assessor", "position": "head"},
    )
    assert victim.get("/account/password").headers["Location"].startswith("/login")
    assert "Ihre Gutachten" not in text_of(victim.get("/"))
    with app.app_context():
        assert db.session.get(User, user_id).is_enabled is False


def test_office_cannot_remove_its_own_office_role(app, client, accounts, make):
    login(client, accounts["office"])
    user_id = make.user_id(accounts["office"])
    response = client.post(
        f"/office/users/{user_id}/edit",
        data={
            "name": "Anke",
            "role": "school",
            "school_numbers": "75001",
            "position": "head",
            "enabled": "y",
        },
    )
    assert "Sie können sich nicht selbst" in text_of(response)
    with app.app_context():
        assert db.session.get(User, user_id).role is Role.OFFICE


def test_user_list_shows_roles_and_schools(client, accounts):
    login(client, accounts["office"])
    page = text_of(client.get("/office/users"))
    assert "Gutachter/in" in page and "Geschäftsstelle" in page and "Grundschule am Wall" in page
