"""Migrations build the schema the models describe, from empty, and take it down again."""

from __future__ import annotations

import logging
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from seal_app import create_app
from seal_app.extensions import db
from tests.parallel import new_database


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("SEAL_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    server = sa.make_url(url)
    name = f"{server.database}_migrations"
    yield new_database(url, name)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_matches_models_and_downgrade_empties(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert differences == []
        assert {"users", "schools", "rounds", "catalogue_versions", "audit_entries"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_a_migration_in_the_app_process_leaves_the_other_loggers_working(empty_database_url):
    """Alembic reads its logging settings from alembic.ini; the loggers that existed before
    (the app's, the request log's) keep writing afterwards."""
    existing = [logging.getLogger(name) for name in ("seal_app.access", "werkzeug")]
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert [logger.disabled for logger in existing] == [False, False]
