"""The embedded database's settings and the instance folder's secret key."""

from __future__ import annotations

import socket
import stat
import time

import psycopg
import pytest
import sqlalchemy as sa

from seal_app.config import _instance_secret_key
from seal_app.database import _readable
from seal_app.extensions import db
from seal_app.schools.models import SchoolMembership


def test_foreign_keys_are_enforced(app, make):
    school_id = make.school()
    with app.app_context():
        db.session.add(SchoolMembership(user_id=987654, school_id=school_id))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_embedded_sqlite_writes_ahead(app):
    with app.app_context(), db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        else:
            assert db.engine.dialect.name == "postgresql"


def test_secret_key_is_created_once_and_private(tmp_path):
    first = _instance_secret_key(tmp_path)
    second = _instance_secret_key(tmp_path)
    assert first == second and len(first) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_an_idle_socket_whose_peer_closed_reads_as_closed():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not _readable(ours.fileno())  # idle and open: nothing to read
        theirs.close()
        assert _readable(ours.fileno())


@pytest.mark.postgresql_only
def test_a_pooled_connection_the_server_ended_is_replaced_without_an_error(app):
    """PostgreSQL ends a backend (as on a restart): the next request gets a new connection
    instead of an error, and no request pays a round trip to find out."""
    with app.app_context():
        url = db.engine.url
    assert url.get_backend_name() == "postgresql"
    engine = sa.create_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            ended = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as connection:  # the same pooled connection again
            assert connection.execute(sa.text("SELECT pg_backend_pid()")).scalar() == ended
        with psycopg.connect(
            url.render_as_string(hide_password=False).replace("+psycopg", "")
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (ended,))
        time.sleep(0.5)
        with engine.connect() as connection:
            replaced = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        assert replaced != ended
    finally:
        engine.dispose()
