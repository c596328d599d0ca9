"""SQLite: a save while another writer keeps the database locked is refused, not an error."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url

from seal_app import database
from seal_app.extensions import db
from tests.conftest import login, text_of


@pytest.fixture
def short_busy_timeout(app, monkeypatch):
    """New connections wait only briefly for a lock; the pool is emptied before and after."""
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        pytest.skip("SQLite's database lock")
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 200)
    with app.app_context():
        db.engine.dispose()
    yield make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    monkeypatch.undo()
    with app.app_context():
        db.engine.dispose()


def test_a_save_while_the_database_stays_locked_keeps_the_text(
    app, school_setup, short_busy_timeout
):
    school_id, _round_id, staff, _office = school_setup
    client = app.test_client()
    login(client, staff)
    started = client.post("/applications/start", data={"school_id": school_id})
    path = started.headers["Location"] + "/criteria/A.1"
    data = {"self_rating": "2", "measures": "Getippt, während gesperrt", "version": ""}

    other_writer = sqlite3.connect(short_busy_timeout)
    other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock
    try:
        response = client.post(path, data=data)
    finally:
        other_writer.rollback()
        other_writer.close()

    assert response.status_code == 200
    assert "Bitte speichern Sie noch einmal." in text_of(response)
    assert "Getippt, während gesperrt" in response.get_data(as_text=True)
    assert client.post(path, data=data).status_code == 302  # the lock is gone: saved
