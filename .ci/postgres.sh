#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the team-deployment tests (tests/test_postgres_deployment.py).
#   .ci/postgres.sh start   installs the Debian package if needed, creates a cluster in a temporary
#                           folder, starts it on 127.0.0.1:${MVK_PG_PORT:-54329} and prints the
#                           MVK_TEST_PG_URL line to export
#   .ci/postgres.sh stop    stops it and removes the folder
# As root the server runs as the `postgres` user (PostgreSQL refuses root); otherwise as you.
set -euo pipefail
port=${MVK_PG_PORT:-54329}
state=${MVK_PG_STATE:-/tmp/mvk-ci-postgres}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  rm -rf "$state"; mkdir -p "$state"
  [ "$(id -u)" = 0 ] && chown postgres "$state"
  printf 'mvk\n' > "$state/.pw"; [ "$(id -u)" = 0 ] && chown postgres "$state/.pw"
  as_server "$bin/initdb" -D "$state/data" -U mvk --pwfile="$state/.pw" -A scram-sha-256 >/dev/null
  as_server "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $state -c fsync=off" start >/dev/null
  echo "MVK_TEST_PG_URL=postgresql://mvk:mvk@127.0.0.1:$port/postgres"
  ;;
stop)
  if [ -n "$bin" ] && [ -d "$state/data" ]; then
    as_server "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$state"
  ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
