#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 for the tests in DIR (or reuses the one
# already running there) and writes DIR/postgres.env. See README.md.
#   usage: start-postgres.sh DIR
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

pg_bin=${PLUGDB_PG_BIN:-/usr/lib/postgresql/15/bin}
dir=$(usage_dir "$@")
data=$dir/pgdata
sock=$dir/pgsock
logfile=$dir/pg.log
envfile=$dir/postgres.env
tls=$dir/tls

for tool in initdb pg_ctl pg_isready psql postgres; do
  [[ -x $pg_bin/$tool ]] ||
    die "$pg_bin/$tool not found: install postgresql-15 (scripts/install-deps.sh)"
done
command -v openssl >/dev/null || die "openssl not found: install openssl (scripts/install-deps.sh)"
user=$(server_user postgres)
id "$user" >/dev/null 2>&1 || die "OS user '$user' does not exist (it comes with postgresql-15)"

write_env() { # PORT PID
  write_file_atomically "$envfile" <<EOF
PLUGDB_PG_PORT=$1
PLUGDB_PG_SOCKET_DIR=$sock
PLUGDB_PG_PID=$2
PLUGDB_PG_URL=postgres://plugdb:$PLUGDB_TEST_PASSWORD@127.0.0.1:$1/plugdb
PLUGDB_PG_CA=$tls/ca.crt
EOF
}

# Line N of postmaster.pid: 1 = PID, 4 = port, 8 = status.
postmaster_line() { sed -n "${1}p" "$data/postmaster.pid" 2>/dev/null || true; }

# Ready = answers on both the TCP port and the socket (pg_isready needs no
# password). pg_ctl -w already waited; this also covers the reuse case.
wait_ready() { # PORT
  local deadline=$((SECONDS + PLUGDB_START_TIMEOUT))
  until "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -t 2 &&
    "$pg_bin/pg_isready" -q -h "$sock" -p "$1" -U postgres -d postgres -t 2; do
    if ((SECONDS >= deadline)); then
      tail_log "$logfile"
      die "PostgreSQL did not accept connections on port $1 within ${PLUGDB_START_TIMEOUT}s"
    fi
    sleep 0.2
  done
}

# A developer may start once and keep the server for repeated runs.
pid=$(postmaster_line 1)
if [[ -n $pid ]] && is_server "$pid" postgres "$data"; then
  port=$(postmaster_line 4)
  log "reusing PostgreSQL PID $pid on 127.0.0.1:$port (already running in $dir)"
  wait_ready "$port"
  write_env "$port" "$pid"
  exit 0
fi

check_socket_path "$sock/.s.PGSQL.65535"
# DIR may come from mktemp -d (0700); the server user must enter it.
if ((EUID == 0)); then chmod go+rx -- "$dir"; fi
check_reachable "$user" "$dir"
mkdir -p -- "$sock"
touch -- "$logfile"
if ((EUID == 0)); then chown "$user:" "$sock" "$logfile"; fi
issue_server_cert "$dir" "$tls" "$user"

# initdb removes its own mess when it fails, but a killed run can leave a
# data directory without PG_VERSION, which initdb would refuse.
if [[ -d $data && ! -s $data/PG_VERSION ]]; then
  log "removing the unfinished data directory $data"
  rm -rf -- "$data"
fi
if [[ ! -s $data/PG_VERSION ]]; then
  mkdir -m 0700 -- "$data"
  if ((EUID == 0)); then chown "$user:" "$data"; fi
  log "initdb $data"
  run_as "$user" "$pg_bin/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync --no-instructions \
    >"$dir/initdb.log" 2>&1 || {
    tail_log "$dir/initdb.log"
    die "initdb failed"
  }
fi

# A server that died without cleaning up leaves its postmaster.pid; if that
# PID now belongs to another process, postgres would refuse to start.
rm -f -- "$data/postmaster.pid"

# Our settings live in their own file, rewritten on every start (the port
# may change); postgresql.conf just includes it.
write_conf() { # PORT
  cat >"$data/plugdb.conf" <<EOF
# Written by tests/servers/start-postgres.sh on every start.
port = $1
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '$tls/server.crt'
ssl_key_file = '$tls/server.key'
# Throw-away data: surviving a machine crash only costs time here (fsync off),
# but a commit reaches the kernel before it is acknowledged, so a killed
# server loses no acknowledged commit (tests/reliability relies on that).
fsync = off
synchronous_commit = on
full_page_writes = off
EOF
  grep -qxF "include 'plugdb.conf'" "$data/postgresql.conf" ||
    echo "include 'plugdb.conf'" >>"$data/postgresql.conf"
  # TCP needs the password (SCRAM); the socket is trusted.
  cat >"$data/pg_hba.conf" <<EOF
# Written by tests/servers/start-postgres.sh on every start.
local all all               trust
host  all all 127.0.0.1/32  scram-sha-256
host  all all ::1/128       scram-sha-256
EOF
  if ((EUID == 0)); then chown "$user:" "$data/plugdb.conf" "$data/postgresql.conf" "$data/pg_hba.conf"; fi
}

# If this script fails after the server started, stop that server (by the
# PID it wrote), so a failed start leaves nothing running.
on_exit() {
  local rc=$? pid
  if ((rc != 0)); then
    pid=$(postmaster_line 1)
    if [[ -n $pid ]]; then stop_server "$pid" postgres "$data" INT || true; fi
  fi
  exit "$rc"
}
trap on_exit EXIT

# Keep the previous port when it is still free, so URLs stay the same across
# restarts; another process can still take the port first, hence the retries.
port=$(env_value "$envfile" PLUGDB_PG_PORT)
for attempt in 1 2 3; do
  if [[ -z $port ]] || ! port_is_free "$port"; then port=$(free_port); fi
  write_conf "$port"
  offset=$(stat -c %s -- "$logfile")
  log "starting PostgreSQL on 127.0.0.1:$port (socket in $sock)"
  if run_as "$user" "$pg_bin/pg_ctl" -D "$data" -l "$logfile" -w -t "$PLUGDB_START_TIMEOUT" -s start; then
    break
  fi
  if ((attempt < 3)) && tail -c "+$((offset + 1))" -- "$logfile" | grep -q 'could not bind\|already in use'; then
    log "port $port was taken meanwhile; trying another"
    port=
    continue
  fi
  tail_log "$logfile"
  die "PostgreSQL did not start (log: $logfile)"
done

pid=$(postmaster_line 1)
is_server "$pid" postgres "$data" || {
  tail_log "$logfile"
  die "PostgreSQL reported ready but its PID '$pid' is not running"
}
wait_ready "$port"

# The account and database the tests use; idempotent, so a restart on an
# existing data directory runs it again harmlessly.
run_as "$user" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -v "pw=$PLUGDB_TEST_PASSWORD" \
  -h "$sock" -p "$port" -U postgres -d postgres >/dev/null <<'SQL' || die "could not create role/database plugdb"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plugdb') THEN CREATE ROLE plugdb; END IF;
END $$;
ALTER ROLE plugdb WITH LOGIN SUPERUSER PASSWORD :'pw';
SELECT 'CREATE DATABASE plugdb OWNER plugdb'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'plugdb') \gexec
SQL

write_env "$port" "$pid"
log "PostgreSQL ready: PID $pid, 127.0.0.1:$port, socket dir $sock ($envfile)"
