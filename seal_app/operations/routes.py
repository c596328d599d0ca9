"""/readyz for a load balancer and /metrics for Prometheus (/healthz, liveness, is in main)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify

from seal_app.extensions import csrf, limiter
from seal_app.operations import metrics, readiness

bp = Blueprint("operations", __name__)


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Each check with what it saw for the networks /metrics answers (and its token); for
    anyone else only whether each check passed: free bytes and queue lag are no one's business."""
    checks = readiness.checks()
    ready = all(check["ok"] for check in checks.values())
    if not metrics.allowed():
        checks = {name: {"ok": check["ok"]} for name, check in checks.items()}
    return jsonify(status="ok" if ready else "error", checks=checks), 200 if ready else 503


@bp.get("/metrics")
@limiter.exempt
@csrf.exempt
def metrics_page():
    if not metrics.allowed():
        abort(404)
    return Response(metrics.exposition(), mimetype="text/plain; version=0.0.4")
