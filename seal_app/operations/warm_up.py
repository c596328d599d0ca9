"""Work done once before gunicorn forks its workers (``preload_app`` in ops/gunicorn.conf.py),
so that each worker starts with it done and shares it, instead of paying for it in its first
requests: every template compiled."""

from __future__ import annotations

from flask import Flask

TEMPLATE_KINDS = ("html", "txt", "css")


def compile_templates(app: Flask) -> int:
    """Compile every template of the app and its blueprints; returns how many. (Jinja keeps
    400 compiled templates; seal_app has fewer, so none is compiled again.)"""
    environment = app.jinja_env
    names = environment.list_templates(extensions=TEMPLATE_KINDS)
    for name in names:
        environment.get_template(name)
    return len(names)


def after_fork(app: Flask) -> None:
    """In a new worker: connections opened before the fork belong to the master; start
    with none (the pool opens its own)."""
    from seal_app.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
