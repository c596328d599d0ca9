"""/readyz: may a load balancer send requests here? The database answers, Redis answers
(where configured), the background work is not falling behind, and the upload and print
folders have room. Each check says what it saw; any failing one makes the answer 503."""

from __future__ import annotations

import shutil
from typing import Any

import redis
from flask import current_app

from seal_app.database import database_state
from seal_app.operations import state

Check = dict[str, Any]
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def checks() -> dict[str, Check]:
    config = current_app.config
    result = {"database": {"ok": database_state() == "ok"}}
    for name, setting in (("rate_limits", "RATELIMIT_STORAGE_URI"), ("queue", "TASK_QUEUE_URL")):
        url = config.get(setting) or ""
        if url.startswith(REDIS_SCHEMES):
            result[f"redis_{name}"] = _redis(url)
    if result["database"]["ok"]:
        result["backlog"] = _backlog(config["READY_MAX_QUEUE_LAG_SECONDS"])
    for name, setting in (("uploads", "UPLOAD_DIR"), ("print", "PRINT_DIR")):
        result[f"disk_{name}"] = _disk(config[setting], config["READY_MIN_FREE_BYTES"])
    return result


def _redis(url: str) -> Check:
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _backlog(max_lag: float) -> Check:
    backlog = state.backlog()
    return {
        "ok": backlog.lag_seconds <= max_lag,
        "lag_seconds": round(backlog.lag_seconds),
        "max_lag_seconds": max_lag,
        "queued_tasks": state.queue_length(),
    }


def _disk(folder: str, min_free: int) -> Check:
    try:
        free = shutil.disk_usage(folder).free
    except OSError as error:
        return {"ok": False, "error": error.strerror}
    return {"ok": free >= min_free, "free_bytes": free, "min_free_bytes": min_free}
