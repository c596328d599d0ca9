#!/usr/bin/env bash
# make fault-check: the production stack on loopback (PostgreSQL, Redis, SMTP, gunicorn -w 4,
# the Huey worker) under load, one fault after another, then every acknowledged write looked
# for (benchmarks/fault_check.py). Short form by default (CI); FULL=1 for 30 s outages and the
# mail server gone for 10 minutes. Needs root (a tmpfs as the upload folder).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

if [[ -z "${SEAL_TEST_DATABASE_URL:-}" ]]; then  # first: a throw-away PostgreSQL around us
  SEAL_PG_PORT="${SEAL_PG_PORT:-54361}" exec .ci/with-postgres "$0" "$@"
fi
command -v redis-server >/dev/null || {
  echo "Installing Debian's redis-server"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}
VENV="$VENV" PYTHONPATH=. exec "$VENV/bin/python" benchmarks/fault_check.py
