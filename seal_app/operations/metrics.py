"""Prometheus metrics with prometheus-flask-exporter: requests by route and status, their
durations, and gauges of the background work (queue, outbox, print jobs) read at each scrape.

Under gunicorn the workers share their figures through ``PROMETHEUS_MULTIPROC_DIR``
(``ops/gunicorn.conf.py`` sets it, empties it at start and marks exited workers), so any
worker answers for all. /metrics answers only the networks in ``METRICS_ALLOWED_NETWORKS``
(loopback by default) or a request with ``Authorization: Bearer <METRICS_TOKEN>``; to
anyone else it does not exist (404).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from flask import Flask, current_app, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

from seal_app.operations import state

EXCLUDED = ["/static/", "/metrics", "/healthz", "/readyz", "/favicon.ico"]


def init_app(app: Flask) -> None:
    options = {"group_by": "endpoint", "excluded_paths": EXCLUDED, "defaults_prefix": "seal"}
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        exporter = GunicornPrometheusMetrics(app, **options)  # no own endpoint: see routes
    else:  # one registry per app, so that several apps in one process (tests) never collide
        exporter = PrometheusMetrics(app, path=None, registry=CollectorRegistry(), **options)
    backlog = CollectorRegistry(auto_describe=False)
    backlog.register(BacklogCollector())
    app.extensions["metrics"] = (exporter, backlog)


def allowed() -> bool:
    """From a configured network, or with the configured token."""
    config = current_app.config
    token = config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    networks = [part.strip() for part in config["METRICS_ALLOWED_NETWORKS"].split(",")]
    return any(address in ipaddress.ip_network(network) for network in networks if network)


def exposition() -> bytes:
    """Every metric in Prometheus' text format."""
    exporter, backlog = current_app.extensions["metrics"]
    requests, _content_type = exporter.generate_metrics()
    return requests.encode() + generate_latest(backlog)


class BacklogCollector:
    """Gauges of the background work, read from the database and the queue at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        backlog = state.backlog()
        queue = GaugeMetricFamily("seal_queue_tasks", "Tasks waiting in the task queue")
        length = state.queue_length()
        queue.add_metric([], float("nan") if length is None else length)
        yield queue
        yield _by_state("seal_outbox_messages", "Outbox messages by state", backlog.outbox)
        yield _by_state("seal_print_jobs", "Print jobs by state", backlog.print_jobs)
        yield GaugeMetricFamily(
            "seal_outbox_oldest_due_seconds",
            "Age of the oldest queued message whose time to be sent has come",
            value=backlog.oldest_due_message_seconds,
        )
        yield GaugeMetricFamily(
            "seal_print_job_oldest_quiet_seconds",
            "Time since the last progress of the oldest queued or running print job",
            value=backlog.oldest_live_print_job_seconds,
        )


def _by_state(name: str, documentation: str, counts: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["state"])
    for key, count in sorted(counts.items()):
        family.add_metric([key], count)
    return family
