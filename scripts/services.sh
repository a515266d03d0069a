#!/usr/bin/env bash
# PostgreSQL and Redis for the test suite: install them (Debian packages) if missing, start
# them on 127.0.0.1 (no systemd needed), create the test role and database, wait until both
# answer, then print the variables `make test` reads:
#   eval "$(scripts/services.sh)" && make test
# Idempotent: what already runs is reused. Installing and starting PostgreSQL need root (CI
# runs as root); elsewhere, point TEST_DATABASE_URL / TEST_REDIS_URL at servers of your own.
set -euo pipefail

PG_ROLE="${PG_TEST_ROLE:-parcours_test}"
PG_PASSWORD="${PG_TEST_PASSWORD:-parcours_test}"
PG_DB="${PG_TEST_DB:-parcours_test}"
REDIS_PORT="${TEST_REDIS_PORT:-6379}"
STATE_DIR="${PARCOURS_SERVICES_DIR:-/tmp/parcours-services}"
WAIT_SECONDS=60

log() { echo "==> $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

apt_install() {  # $@ = Debian packages; `apt-get update` only when the first try fails
  [ "$(id -u)" -eq 0 ] || die "$* missing and not root: install them, or set TEST_DATABASE_URL / TEST_REDIS_URL"
  log "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "$@" >/dev/null
  fi
}

pg_version() {  # newest PostgreSQL server installed under /usr/lib/postgresql
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && basename "$(dirname "$(dirname "$dir")")"
}

as_postgres() { runuser -u postgres -- "$@"; }

start_postgres() {  # prints the port of the running cluster
  local version cluster port status
  version="$(pg_version || true)"
  if [ -z "$version" ] || ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql
    version="$(pg_version)" || die "PostgreSQL installed but no server found under /usr/lib/postgresql"
  fi
  # The first cluster of that version (Debian's package creates `main`), else a new one.
  cluster="$(pg_lsclusters -h | awk -v v="$version" '$1 == v {print $2; exit}')"
  if [ -z "$cluster" ]; then
    log "creating PostgreSQL $version cluster main"
    pg_createcluster "$version" main >/dev/null
    cluster=main
  fi
  read -r port status < <(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" \
    '$1 == v && $2 == c {print $3, $4}')
  if [ "$status" != "online" ]; then
    log "starting PostgreSQL $version/$cluster on port $port"
    pg_ctlcluster "$version" "$cluster" start >&2
  fi
  for _ in $(seq 1 "$WAIT_SECONDS"); do
    pg_isready -q -h 127.0.0.1 -p "$port" && { echo "$port"; return; }
    sleep 1
  done
  die "PostgreSQL $version/$cluster does not answer on port $port (see /var/log/postgresql/)"
}

prepare_postgres() {  # $1 = port: the test role (may create the per-session databases) and its DB
  local port="$1" psql=(psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$1")
  if [ "$(as_postgres "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" != 1 ]; then
    as_postgres "${psql[@]}" -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
  fi
  if [ "$(as_postgres "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
    as_postgres "${psql[@]}" -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE"
  fi
  PGPASSWORD="$PG_PASSWORD" psql -X -q -At -h 127.0.0.1 -p "$port" -U "$PG_ROLE" -d "$PG_DB" \
    -c "SELECT 1" >/dev/null || die "cannot log in to PostgreSQL as $PG_ROLE on 127.0.0.1:$port"
}

start_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" != PONG ]; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    mkdir -p "$STATE_DIR"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" \
      --appendonly no --dir "$STATE_DIR" --pidfile "$STATE_DIR/redis-$REDIS_PORT.pid" \
      --logfile "$STATE_DIR/redis-$REDIS_PORT.log"
  fi
  for _ in $(seq 1 "$WAIT_SECONDS"); do
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return
    sleep 0.5
  done
  die "Redis does not answer on 127.0.0.1:$REDIS_PORT (see $STATE_DIR/redis-$REDIS_PORT.log)"
}

pg_port="$(start_postgres)"
prepare_postgres "$pg_port"
start_redis
log "PostgreSQL on 127.0.0.1:$pg_port (role $PG_ROLE), Redis on 127.0.0.1:$REDIS_PORT"
echo "export TEST_DATABASE_URL=postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$pg_port/$PG_DB"
echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
