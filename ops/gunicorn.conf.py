"""gunicorn's settings for seal_app: ``gunicorn -c ops/gunicorn.conf.py "seal_app:create_app()"``.

Logs are JSON lines on standard error (the app writes one access line per request itself, so
gunicorn's own access log is off); the workers share their Prometheus figures through
``PROMETHEUS_MULTIPROC_DIR``, emptied at start, with each exited worker marked dead.
"""

import os
import shutil
import tempfile

# before prometheus_client is imported anywhere: it chooses its storage at import
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "seal_app-prometheus")
)

from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

# preload_app loads the app (and its metrics) before on_starting runs
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

bind = os.environ.get("SEAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SEAL_WEB_WORKERS", "4"))
# Threads: a worker waiting on PostgreSQL, Redis or the disk serves another request meanwhile.
# On two cores, quiet, 4 workers × 4 threads served as many requests as 4 sync workers
# (130–147 per second) with a lower median and a longer tail (make capacity, README).
worker_class = os.environ.get("SEAL_WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("SEAL_WEB_THREADS", "4"))
timeout = 30
# The app is built, and every template compiled, once in the master before the workers fork:
# they share it and start warm. (A new version needs a restart, not a HUP: it is a restart
# on every deployment anyway.)
preload_app = True
control_socket_disable = True  # several servers on one machine would share its path
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "seal_app.operations.logs.JsonFormatter"}},
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "WARNING", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}


def on_starting(server) -> None:
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def when_ready(server) -> None:
    from seal_app.operations.warm_up import compile_templates

    compiled = compile_templates(server.app.wsgi())
    server.log.info("%d templates compiled before the workers start", compiled)


def post_fork(server, worker) -> None:
    from seal_app.operations.warm_up import after_fork

    after_fork(server.app.wsgi())


def child_exit(server, worker) -> None:
    GunicornPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
