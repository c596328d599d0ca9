#!/usr/bin/env bash
# A production-like run on loopback: PostgreSQL, Redis (rate limits and the task queue), an
# SMTP server, gunicorn (ops/gunicorn.conf.py) and the Huey worker; the demo data; 50 people for
# 60 seconds (benchmarks/load.py). Usage: make prod-check   (USERS=… SECONDS_RUN=… to change)
# Every answer carries Server-Timing (CPU ms, SQL statements), tallied per kind of request.
# APP_TREE=<folder>, APP_SPEC=<module:app>: serve another checkout (benchmarks/capacity.sh);
# GUNICORN_OPTS: the server's settings (default: those of ops/gunicorn.conf.py);
# PROFILE_DIR=<folder>: py-spy samples every web worker for 30 s during the load (raw stacks).
set -euo pipefail
PG_PORT_DEFAULT=54360
source "$(dirname "$0")/stack_prelude.sh"
HERE="$PWD"
VENV="$(realpath "$VENV")"
APP_TREE="$(realpath "${APP_TREE:-$HERE}")"

D="$(mktemp -d)"
WEB_PORT="${WEB_PORT:-8765}" REDIS_PORT="${REDIS_PORT:-6391}" SMTP_PORT="${SMTP_PORT:-8025}"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f "$D/redis.pid" ]] && kill "$(cat "$D/redis.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$D" --save "" \
  --daemonize yes --pidfile "$D/redis.pid" >/dev/null
"$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" >/dev/null 2>&1 & PIDS+=($!)

export SEAL_DATABASE_URL="$SEAL_TEST_DATABASE_URL"
export SEAL_RATELIMIT_STORAGE_URI="redis://127.0.0.1:$REDIS_PORT/0"
export SEAL_TASK_QUEUE_URL="redis://127.0.0.1:$REDIS_PORT/1"
export SEAL_MAIL_SERVER=127.0.0.1 SEAL_MAIL_PORT="$SMTP_PORT" SEAL_MAIL_USE_TLS=false
export SEAL_PUBLIC_BASE_URL="http://127.0.0.1:$WEB_PORT" SEAL_SECRET_KEY="prod-check-$RANDOM$RANDOM"
export SEAL_UPLOAD_DIR="$D/uploads" SEAL_PRINT_DIR="$D/print"
export SEAL_SIGNING_KEY_FILE="$D/signing/key.pem" SEAL_SIGNING_CERT_FILE="$D/signing/cert.pem"
export SEAL_DEMO_PASSWORD="Prod-Check-Demo-2026" SEAL_SERVER_TIMING=true
export PROMETHEUS_MULTIPROC_DIR="$D/prometheus"  # not the shared default in /tmp
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
FLASK="$VENV/bin/flask --app seal_app"
GUNICORN_OPTS="${GUNICORN_OPTS:--c ops/gunicorn.conf.py}"

cd "$APP_TREE"  # the app served, its migrations and demo data: those of APP_TREE
$FLASK db upgrade >/dev/null
$FLASK seal demo >/dev/null
PYTHONPATH=".:$HERE" "$VENV/bin/python" -m benchmarks.demo_second_factor  # office and jury type codes
$FLASK seal worker --workers 2 >"$D/worker.log" 2>&1 & PIDS+=($!)
# shellcheck disable=SC2086  # GUNICORN_OPTS is a list of options
"$VENV/bin/gunicorn" $GUNICORN_OPTS -b "127.0.0.1:$WEB_PORT" --log-level warning \
  --error-logfile "$D/gunicorn.log" "${APP_SPEC:-seal_app:create_app()}" 2>>"$D/gunicorn.log" &
GUNICORN_PID=$! PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$WEB_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
cd "$HERE"

echo "gunicorn $GUNICORN_OPTS, Huey worker, PostgreSQL, Redis, SMTP on 127.0.0.1; demo data loaded"
if [[ -n "${PROFILE_DIR:-}" ]]; then
  mkdir -p "$PROFILE_DIR"
  (sleep 15; for worker in $(pgrep -P "$GUNICORN_PID"); do
     "$VENV/bin/py-spy" record -d 30 -r 50 -p "$worker" -f raw --nonblocking \
       -o "$PROFILE_DIR/worker-$worker.txt" >/dev/null 2>&1 &
   done; wait) & PIDS+=($!)
fi
status=0
PYTHONPATH=. "$VENV/bin/python" benchmarks/load.py --base "http://127.0.0.1:$WEB_PORT" \
  --password "$SEAL_DEMO_PASSWORD" --users "${USERS:-50}" --seconds "${SECONDS_RUN:-60}" \
  --cpu-of "gunicorn=$GUNICORN_PID" --cpu-of "postgresql=$(head -1 "$SEAL_TEST_PG_DATA/postmaster.pid")" \
  --cpu-of "task worker=${PIDS[1]}" || status=$?
if grep -q "Traceback" "$D/gunicorn.log" "$D/worker.log"; then
  echo "tracebacks in the logs:"; grep -B2 -A12 "Traceback" "$D/gunicorn.log" "$D/worker.log" | head -60
  status=1
fi
exit $status
