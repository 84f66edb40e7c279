#!/usr/bin/env bash
# Runs plugdb-kv-bench on rocksdb, sqlite, postgres and mysql: builds it
# (release), starts PostgreSQL and MariaDB in a throw-away directory, runs the
# benchmark and stops the servers again. Arguments go to plugdb-kv-bench.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/build.sh bench >&2
dir=$(mktemp -d)
trap 'tests/servers/stop.sh --clean "$dir" >/dev/null' EXIT
tests/servers/start-postgres.sh "$dir" >/dev/null
tests/servers/start-mariadb.sh "$dir" >/dev/null
build/bench/bin/plugdb-kv-bench --servers "$dir" "$@"
