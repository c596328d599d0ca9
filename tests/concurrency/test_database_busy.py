"""A save while another writer keeps holding the lock is refused with the text kept, not an error.

SQLite: another connection holds the database's write lock. PostgreSQL: another connection
holds a lock on the answers table. Either way the save waits ``LOCK_WAIT_MS``, then refuses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

from seal_app import database
from seal_app.extensions import db
from tests.conftest import login, text_of


@pytest.fixture
def short_lock_wait(app, monkeypatch):
    """New connections wait only briefly for a lock; the pool is emptied before and after."""
    monkeypatch.setattr(database, "LOCK_WAIT_MS", 200)
    with app.app_context():
        db.engine.dispose()
    yield
    monkeypatch.undo()
    with app.app_context():
        db.engine.dispose()


@contextmanager
def other_writer_holding_the_lock(url_text: str) -> Iterator[None]:
    url = make_url(url_text)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database)
        connection.execute("BEGIN IMMEDIATE")  # holds the database's write lock
    else:
        connection = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))
        connection.execute("LOCK TABLE criterion_answers IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


def test_a_save_while_another_writer_holds_the_lock_keeps_the_text(
    app, school_setup, short_lock_wait
):
    school_id, _round_id, staff, _office = school_setup
    client = app.test_client()
    login(client, staff)
    started = client.post("/applications/start", data={"school_id": school_id})
    path = started.headers["Location"] + "/criteria/A.1"
    data = {"self_rating": "2", "measures": "Getippt, während gesperrt", "version": ""}

    with other_writer_holding_the_lock(app.config["SQLALCHEMY_DATABASE_URI"]):
        response = client.post(path, data=data)

    assert response.status_code == 200
    assert "Bitte speichern Sie noch einmal." in text_of(response)
    assert "Getippt, während gesperrt" in response.get_data(as_text=True)
    assert client.post(path, data=data).status_code == 302  # the lock is gone: saved
