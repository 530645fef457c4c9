#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, on 127.0.0.1 only, in ./.pg (gitignored).
#   e2e/tools/postgres.sh start   -> prints the DATABASE_URL of database "vault"
#   e2e/tools/postgres.sh start --durable   -> the same, with durable commits (for `npm run bench`)
#   e2e/tools/postgres.sh stop
# Tests run it with fsync=off: a commit then costs no disk flush, which is fine for tests and would
# flatter every published figure, so the bench uses --durable (fsync=on, synchronous_commit=on) and
# prints both settings beside its figures. A server running in the other mode is restarted.
# Needs Debian's postgresql package (.ci/run installs it). initdb refuses to run as root, so as root
# the cluster belongs to the "postgres" user.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${VAULT_PG_PORT:-55432}"
DIR="$PWD/.pg"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found. On Debian: apt-get install -y postgresql" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
URL="postgresql://postgres@127.0.0.1:$PORT/vault"

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      as_pg "'$PGBIN/initdb' -D '$DIR/data' -U postgres --auth=trust -E UTF8 --no-locale" > "$DIR/initdb.log"
    fi
    if [ "${2:-}" = "--durable" ]; then FSYNC=on; else FSYNC=off; fi
    if as_pg "'$PGBIN/pg_ctl' -D '$DIR/data' status" > /dev/null 2>&1 &&
      [ "$(psql "postgresql://postgres@127.0.0.1:$PORT/postgres" -qtAc "SHOW fsync" 2>/dev/null)" != "$FSYNC" ]; then
      as_pg "'$PGBIN/pg_ctl' -D '$DIR/data' -m fast -w stop" > /dev/null
    fi
    if ! as_pg "'$PGBIN/pg_ctl' -D '$DIR/data' status" > /dev/null 2>&1; then
      as_pg "'$PGBIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DIR' -c fsync=$FSYNC -c synchronous_commit=on\" start" > /dev/null
    fi
    psql "postgresql://postgres@127.0.0.1:$PORT/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname='vault'" | grep -q 1 ||
      psql "postgresql://postgres@127.0.0.1:$PORT/postgres" -qc "CREATE DATABASE vault" > /dev/null
    echo "$URL"
    ;;
  stop)
    if [ -f "$DIR/data/PG_VERSION" ]; then as_pg "'$PGBIN/pg_ctl' -D '$DIR/data' -m fast stop" > /dev/null 2>&1 || true; fi
    ;;
  *)
    echo "usage: $0 start [--durable] | stop" >&2
    exit 1
    ;;
esac
