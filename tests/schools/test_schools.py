"""The office manages schools: create, edit (stale edits refused), search."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.schools.models import School
from tests.conftest import login, text_of

VALID = {
    "school_number": "75123",
    "name": "Grundschule Am Hafen",
    "school_type": "grundschule",
    "street": "Hafenstraße 1",
    "postal_code": "18225",
    "town": "Kühlungsborn",
    "school_authority": "Stadt Kühlungsborn",
    "district": "Landkreis Rostock",
    "email": "",
    "phone": "",
}


def test_office_creates_a_school(app, client, accounts):
    login(client, accounts["office"])
    response = client.post("/office/schools/new", data=VALID, follow_redirects=True)
    page = text_of(response)
    assert "Die Schule „Grundschule Am Hafen“ wurde angelegt." in page
    assert "Hafenstraße 1, 18225 Kühlungsborn" in page


def test_invalid_school_keeps_input_and_lists_errors(client, accounts):
    login(client, accounts["office"])
    response = client.post(
        "/office/schools/new", data={**VALID, "school_number": "75001", "postal_code": "182"}
    )
    page = text_of(response)
    assert "Eine Schule mit dieser Schulnummer gibt es schon." not in page  # first: form rules
    assert "Die Postleitzahl hat 5 Ziffern." in page
    assert 'value="Grundschule Am Hafen"' in response.get_data(as_text=True)
    duplicate = client.post("/office/schools/new", data={**VALID, "school_number": "75001"})
    assert "Eine Schule mit dieser Schulnummer gibt es schon." in text_of(duplicate)


def _school_id(app, number):
    with app.app_context():
        return db.session.scalar(sa.select(School.id).where(School.school_number == number))


def test_stale_edit_is_refused_and_shows_what_the_other_person_saved(app, accounts):
    first, second = app.test_client(), app.test_client()
    login(first, accounts["office"])
    login(second, accounts["office"])
    school_id = _school_id(app, "75001")
    saved = {**VALID, "school_number": "75001", "version": "1"}
    assert (
        first.post(
            f"/office/schools/{school_id}/edit", data={**saved, "name": "Grundschule Erster"}
        ).status_code
        == 302
    )
    response = second.post(
        f"/office/schools/{school_id}/edit", data={**saved, "name": "Grundschule Zweiter"}
    )
    page = text_of(response)
    assert "Jemand anderes hat diese Schule inzwischen geändert" in page
    assert "Grundschule Erster" in page  # what the other person saved
    assert 'value="Grundschule Zweiter"' in response.get_data(as_text=True)  # what was typed
    with app.app_context():
        assert db.session.get(School, school_id).name == "Grundschule Erster"
    # saving again on purpose, now knowing the other version, goes through
    assert (
        second.post(
            f"/office/schools/{school_id}/edit",
            data={**saved, "version": "2", "name": "Grundschule Zweiter"},
        ).status_code
        == 302
    )


def test_search_and_pages(app, client, make, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "SCHOOLS_PER_PAGE", 5)
    for number in range(12):
        make.school(number=f"8{number:04d}", name=f"Schule Nummer {number:02d}", town="Teterow")
    login(client, accounts["office"])
    first = text_of(client.get("/office/schools/"))
    assert "13 Schulen" in first and "Seite 1 von 3" in first
    found = text_of(client.get("/office/schools/?q=Nummer 07"))
    assert "1 Schule" in found and "Schule Nummer 07" in found
    by_town = text_of(client.get("/office/schools/?q=teterow"))
    assert "12 Schulen" in by_town
