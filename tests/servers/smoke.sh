#!/usr/bin/env bash
# ctest's servers.smoke: the servers that start-postgres.sh and
# start-mariadb.sh started in DIR take the connections the driver tests
# rely on (password over TLS with full verification, and the sockets).
#   usage: smoke.sh DIR
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

(($# == 1)) || die "usage: ${0##*/} DIR"
dir=$1
pg_bin=${PLUGDB_PG_BIN:-/usr/lib/postgresql/15/bin}
# Only what this script passes may steer the clients.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSSLMODE PGSERVICE PGSSLROOTCERT \
  MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT MYSQL_PWD

failures=0 checks=0
expect() { # DESCRIPTION EXPECTED COMMAND...: COMMAND's output must be EXPECTED
  local what=$1 want=$2 got
  shift 2
  checks=$((checks + 1))
  if got=$("$@" 2>&1) && [[ $got == "$want" ]]; then
    echo "ok: $what"
  else
    echo "FAILED: $what: expected '$want', got '$got'"
    failures=$((failures + 1))
  fi
}
refused() { # DESCRIPTION COMMAND...: COMMAND must fail
  local what=$1
  shift
  checks=$((checks + 1))
  if "$@" >/dev/null 2>&1; then
    echo "FAILED: $what: it succeeded"
    failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}
need() { # ENVFILE KEY
  local value
  value=$(env_value "$1" "$2")
  [[ -n $value ]] || die "no $2 in $1: did start-*.sh run?"
  printf '%s\n' "$value"
}

pg_env=$dir/postgres.env
pg_port=$(need "$pg_env" PLUGDB_PG_PORT)
pg_sock=$(need "$pg_env" PLUGDB_PG_SOCKET_DIR)
pg_ca=$(need "$pg_env" PLUGDB_PG_CA)
pg_url=$(need "$pg_env" PLUGDB_PG_URL)
pg_tls="host=127.0.0.1 port=$pg_port dbname=plugdb user=plugdb sslmode=verify-full sslrootcert=$pg_ca"
psql_tcp() { PGPASSWORD=$PLUGDB_TEST_PASSWORD "$pg_bin/psql" -X -A -t -v ON_ERROR_STOP=1 "$@"; }

expect "postgres: TLS verify-full over TCP, SHOW ssl" on psql_tcp "$pg_tls" -c 'SHOW ssl'
expect "postgres: this connection is encrypted" t \
  psql_tcp "$pg_tls" -c 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'
expect "postgres: select 1 over TCP" 1 psql_tcp "$pg_tls" -c 'SELECT 1'
expect "postgres: PLUGDB_PG_URL with verify-full" 1 \
  "$pg_bin/psql" -X -A -t "$pg_url?sslmode=verify-full&sslrootcert=$pg_ca" -c 'SELECT 1'
expect "postgres: TCP auth is scram-sha-256" SCRAM-SHA-256 \
  psql_tcp "$pg_tls" -c "SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = 'plugdb'"
refused "postgres: a wrong password is refused" env PGPASSWORD=wrong \
  "$pg_bin/psql" -X "host=127.0.0.1 port=$pg_port dbname=plugdb user=plugdb sslmode=require" -c 'SELECT 1'
expect "postgres: select 1 over the unix socket" 1 \
  "$pg_bin/psql" -X -A -t -h "$pg_sock" -p "$pg_port" -U plugdb -d plugdb -c 'SELECT 1'

my_env=$dir/mariadb.env
my_port=$(need "$my_env" PLUGDB_MY_PORT)
my_sock=$(need "$my_env" PLUGDB_MY_SOCKET)
my_ca=$(need "$my_env" PLUGDB_MY_CA)
my_tcp=(mariadb --no-defaults --protocol=tcp --host=127.0.0.1 --port="$my_port" --user=plugdb
  --password="$PLUGDB_TEST_PASSWORD" --ssl-ca="$my_ca" --ssl-verify-server-cert --batch --skip-column-names)
my_sock_cmd=(mariadb --no-defaults --socket="$my_sock" --user=plugdb
  --password="$PLUGDB_TEST_PASSWORD" --batch --skip-column-names)

expect "mariadb: TLS with verified server cert over TCP, utf8mb4" utf8mb4 \
  "${my_tcp[@]}" -e 'SELECT @@character_set_server'
expect "mariadb: this connection is encrypted" 1 \
  "${my_tcp[@]}" -e "SELECT VARIABLE_VALUE <> '' FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher'"
expect "mariadb: collation utf8mb4_unicode_ci" utf8mb4_unicode_ci \
  "${my_tcp[@]}" -e 'SELECT @@collation_server'
expect "mariadb: database plugdb exists" plugdb "${my_tcp[@]}" plugdb -e 'SELECT DATABASE()'
refused "mariadb: a wrong password is refused" mariadb --no-defaults --protocol=tcp \
  --host=127.0.0.1 --port="$my_port" --user=plugdb --password=wrong -e 'SELECT 1'
expect "mariadb: unix socket, utf8mb4" utf8mb4 "${my_sock_cmd[@]}" -e 'SELECT @@character_set_server'

echo "$((checks - failures)) passed, $failures failed"
((failures == 0))
