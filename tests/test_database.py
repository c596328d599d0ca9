"""The embedded database's settings and the instance folder's secret key."""

from __future__ import annotations

import stat

import pytest
import sqlalchemy as sa

from seal_app.config import _instance_secret_key
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
