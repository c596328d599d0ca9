#!/usr/bin/env bash
# make capacity: prod-check's load for an earlier commit and for this tree, back to back on the
# same machine with the same demo data and ports, then one table side by side: kind · req/s ·
# p50 · p95 · CPU ms per request · SQL statements per request, before and after.
#   BEFORE=<commit>  the earlier version (default: where this branch left main)
#   USERS, SECONDS_RUN, SEAL_PG_PORT, WEB_PORT, REDIS_PORT, SMTP_PORT  as for prod-check
#   GUNICORN_BEFORE / GUNICORN_AFTER  gunicorn's options for each (default: each tree's own
#                                     ops/gunicorn.conf.py)
# The older checkout gets this tree's Server-Timing module (it measures, it changes nothing
# else), the built stylesheets and its own compiled translations.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$(realpath "${VENV:-.venv}")"
BEFORE="${BEFORE:-$(git merge-base HEAD main)}"
OUT="$(mktemp -d)"
TREE="$OUT/before"
cleanup() {
  git worktree remove --force "$TREE" >/dev/null 2>&1 || true
  rm -rf "$OUT"
}
trap cleanup EXIT

git worktree add --detach "$TREE" "$BEFORE" >/dev/null 2>&1
cp seal_app/operations/server_timing.py "$TREE/seal_app/operations/server_timing.py"
cp -r seal_app/static/vendor "$TREE/seal_app/static/"
"$VENV/bin/pybabel" -q compile -d "$TREE/seal_app/translations"

run() {  # $1: name, $2: tree, $3: app, $4: gunicorn options
  echo "== $1: $(git -C "$2" log -1 --format='%h %s' | cut -c1-90)"
  APP_TREE="$2" APP_SPEC="$3" GUNICORN_OPTS="$4" VENV="$VENV" \
    bash benchmarks/prod_check.sh >"$OUT/$1.txt" 2>&1 || {
      echo "   prod-check of $1 failed:"; grep -v '^{"time"' "$OUT/$1.txt" | tail -25 | sed 's/^/   /'; }
  grep -E "requests per second|^CPU of|^  (together|gunicorn)|^errors" "$OUT/$1.txt" | sed 's/^/   /' || true
}
run before "$TREE" "seal_app.operations.server_timing:timed_app()" \
  "${GUNICORN_BEFORE:--c ops/gunicorn.conf.py}"
run after "$PWD" "seal_app:create_app()" "${GUNICORN_AFTER:--c ops/gunicorn.conf.py}"
echo
PYTHONPATH=. "$VENV/bin/python" benchmarks/capacity_table.py "$OUT/before.txt" "$OUT/after.txt"
