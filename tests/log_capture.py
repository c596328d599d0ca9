"""Every log line the app writes during the test run, as JSON lines in
``test-artifacts/app-log.jsonl``: ``.ci/check-logs`` then makes sure that no e-mail address,
password or one-time link is among them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from seal_app.operations.logs import JsonFormatter
from tests import parallel

LOG_FILE = Path(__file__).resolve().parent.parent / "test-artifacts" / "app-log.jsonl"


@pytest.fixture(scope="session", autouse=True)
def _app_log_file():
    LOG_FILE.parent.mkdir(exist_ok=True)
    handler = logging.FileHandler(parallel.log_file(LOG_FILE), mode="a", encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    yield LOG_FILE  # in a worker, its lines reach it at the end (``parallel.gather_logs``)
    root.removeHandler(handler)
    handler.close()
