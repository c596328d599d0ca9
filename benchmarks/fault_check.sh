#!/usr/bin/env bash
# make fault-check: the production stack on loopback (PostgreSQL, Redis, SMTP, gunicorn -w 4,
# the Huey worker) under load, one fault after another, then every acknowledged write looked
# for (benchmarks/fault_check.py). Short form by default (CI); FULL=1 for 30 s outages and the
# mail server gone for 10 minutes. Needs root (a tmpfs as the upload folder).
set -euo pipefail
PG_PORT_DEFAULT=54361
source "$(dirname "$0")/stack_prelude.sh"
VENV="$VENV" PYTHONPATH=. exec "$VENV/bin/python" benchmarks/fault_check.py
