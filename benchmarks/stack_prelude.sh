# Sourced by prod_check.sh and fault_check.sh: run the calling script again inside a
# throw-away PostgreSQL (.ci/with-postgres, port SEAL_PG_PORT or PG_PORT_DEFAULT), and install
# Debian's redis-server if it is missing.
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

if [[ -z "${SEAL_TEST_DATABASE_URL:-}" ]]; then  # first: a throw-away PostgreSQL around us
  SEAL_PG_PORT="${SEAL_PG_PORT:-$PG_PORT_DEFAULT}" exec .ci/with-postgres "$0" "$@"
fi
command -v redis-server >/dev/null || {
  echo "Installing Debian's redis-server"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}
