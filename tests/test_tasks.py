"""The task queue's storage follows one setting: a SQLite file in the instance folder by
default, Redis in production, immediate mode in the tests."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from huey import RedisHuey, SqliteHuey

from seal_app.tasks import make_huey


def _app(tmp_path: Path, **config) -> Flask:
    app = Flask("queue_settings", instance_path=str(tmp_path))
    app.config.update({"TASK_QUEUE_URL": None, "TASK_QUEUE_IMMEDIATE": False, **config})
    return app


def test_the_default_queue_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    huey = make_huey(_app(tmp_path))
    assert isinstance(huey, SqliteHuey) and not huey.immediate
    assert Path(huey.storage.filename) == tmp_path / "tasks.sqlite3"


def test_one_setting_moves_the_queue_to_redis(tmp_path):
    huey = make_huey(_app(tmp_path, TASK_QUEUE_URL="redis://queue.internal:6391/2"))
    assert isinstance(huey, RedisHuey)
    settings = huey.storage.pool.connection_kwargs
    assert (settings["host"], settings["port"], settings["db"]) == ("queue.internal", 6391, 2)


def test_immediate_mode_runs_tasks_in_the_caller(tmp_path):
    assert make_huey(_app(tmp_path, TASK_QUEUE_IMMEDIATE=True)).immediate
