"""A database server that is gone, for the pages that must still answer in German."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seal_app.extensions import db
from tests.mail_server import free_port


@pytest.fixture
def database_down(app):
    """The app's engine pointed at a closed port on loopback, as while PostgreSQL restarts."""
    with app.app_context():
        db.session.remove()
    engines = db._app_engines[app]
    working = engines[None]
    engines[None] = sa.create_engine(
        f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/seal",
        connect_args={"connect_timeout": 2},
        pool_pre_ping=True,
    )
    yield
    with app.app_context():
        db.session.remove()
    engines[None].dispose()
    engines[None] = working
