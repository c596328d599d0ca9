"""Operating the service: structured logs, readiness, metrics, and the sweeper that puts work
lost with the queue or a killed worker back on the queue."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Request logs and metrics for every request, and the /readyz and /metrics routes."""
    from seal_app.operations import (  # noqa: F401 (sweeper: its task)
        logs,
        metrics,
        routes,
        server_timing,
        sweeper,
    )

    logs.init_app(app)
    server_timing.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(routes.bp)
    app.teardown_appcontext(_release_connection)


def _release_connection(_error: BaseException | None) -> None:
    """Give the database connection back even when the server went away during the request:
    the rollback of a dead connection fails, which would turn an answer already made into a
    server error. Runs before Flask-SQLAlchemy's own teardown (registered earlier)."""
    import sqlalchemy as sa

    from seal_app.extensions import db

    try:
        db.session.close()
    except sa.exc.DBAPIError:
        db.session().invalidate()  # the connection is dropped, not given back
