"""Operating the service: structured logs, readiness, metrics, and the sweeper that puts work
lost with the queue or a killed worker back on the queue."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Request logs and metrics for every request, and the /readyz and /metrics routes."""
    from seal_app.operations import logs, metrics, routes, sweeper  # noqa: F401 (its task)

    logs.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(routes.bp)
