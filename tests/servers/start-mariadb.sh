#!/usr/bin/env bash
# Starts a throw-away MariaDB (Debian's 10.11) for the tests in DIR (or
# reuses the one already running there) and writes DIR/mariadb.env.
# See README.md.
#   usage: start-mariadb.sh DIR
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

dir=$(usage_dir "$@")
data=$dir/mydata
sock=$dir/mysql.sock
logfile=$dir/mariadb.log
pidfile=$dir/mariadb.pid
cnf=$dir/my.cnf
envfile=$dir/mariadb.env
tls=$dir/tls-mariadb
files=$dir/mysql-files
# Its own tmpdir: at start-up mariadbd deletes every "#sql*" file in its
# tmpdir, which in a shared /tmp are the in-flight temporary tables of the
# other test servers (a restart in the reliability tests crashed the main
# server in the middle of a query that way).
tmp=$dir/mysql-tmp

mariadbd=$(command -v mariadbd || true)
[[ -n $mariadbd ]] || [[ ! -x /usr/sbin/mariadbd ]] || mariadbd=/usr/sbin/mariadbd
[[ -n $mariadbd ]] || die "mariadbd not found: install mariadb-server (scripts/install-deps.sh)"
for tool in mariadb-install-db mariadb-admin mariadb openssl; do
  command -v "$tool" >/dev/null ||
    die "$tool not found: install mariadb-server, mariadb-client and openssl (scripts/install-deps.sh)"
done

# As root, mariadbd runs as root (--user=root): it drops privileges before
# it creates the socket and pid file, so as `mysql` it would need write
# access to DIR itself, which PostgreSQL's files share. secure_file_priv
# below keeps SQL file I/O (the test account has FILE) inside DIR.
# The admin account is root@localhost via unix_socket (the OS user running
# this script), so no admin password exists anywhere.
if ((EUID == 0)); then
  run_user=root
else
  run_user=$(id -un)
fi
admin=(mariadb --no-defaults --socket="$sock" --user="$run_user")

write_env() { # PORT PID
  write_file_atomically "$envfile" <<EOF
PLUGDB_MY_PORT=$1
PLUGDB_MY_SOCKET=$sock
PLUGDB_MY_PID=$2
PLUGDB_MY_URL=mysql://plugdb:$PLUGDB_TEST_PASSWORD@127.0.0.1:$1/plugdb
PLUGDB_MY_CA=$dir/tls/ca.crt
EOF
}

read_pid() { if [[ -r $pidfile ]]; then tr -dc '0-9' <"$pidfile"; fi; }

# Ready = answers a ping on the socket as the admin. TCP is checked as the
# plugdb account once that exists (a host without any account gets
# "not allowed to connect", which fails a ping).
wait_ready() { # [PID of a server this script launched]
  local deadline=$((SECONDS + PLUGDB_START_TIMEOUT))
  until mariadb-admin --no-defaults --connect-timeout=2 --socket="$sock" --user="$run_user" ping >/dev/null 2>&1; do
    if [[ -n ${1:-} ]] && ! pid_alive "$1"; then return 1; fi
    if ((SECONDS >= deadline)); then
      tail_log "$logfile"
      die "MariaDB did not accept connections on $sock within ${PLUGDB_START_TIMEOUT}s"
    fi
    sleep 0.2
  done
}
check_tcp() { # PORT
  mariadb-admin --no-defaults --connect-timeout=5 --protocol=tcp --host=127.0.0.1 --port="$1" \
    --user=plugdb --password="$PLUGDB_TEST_PASSWORD" ping >/dev/null ||
    die "MariaDB answers on its socket but not as plugdb on 127.0.0.1:$1"
}

# A developer may start once and keep the server for repeated runs.
pid=$(read_pid)
if [[ -n $pid ]] && is_server "$pid" mariadbd "$data"; then
  port=$(env_value "$envfile" PLUGDB_MY_PORT)
  [[ -n $port ]] || port=$(sed -n 's/^port=//p' "$cnf")
  log "reusing MariaDB PID $pid on 127.0.0.1:$port (already running in $dir)"
  wait_ready
  check_tcp "$port"
  write_env "$port" "$pid"
  exit 0
fi

check_socket_path "$sock"
mkdir -p -- "$files" "$tmp"
issue_server_cert "$dir" "$tls" "$run_user"

# The data directory counts as made once mariadb-install-db finished (the
# marker); anything else is left over from an interrupted run.
if [[ -d $data && ! -e $data/.plugdb-installed ]]; then
  log "removing the unfinished data directory $data"
  rm -rf -- "$data"
fi

write_cnf() { # PORT
  cat >"$cnf" <<EOF
# Written by tests/servers/start-mariadb.sh on every start.
[mysqld]
user=$run_user
datadir=$data
port=$1
socket=$sock
pid-file=$pidfile
log-error=$logfile
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
secure-file-priv=$files
tmpdir=$tmp
ssl-ca=$dir/tls/ca.crt
ssl-cert=$tls/server.crt
ssl-key=$tls/server.key
# Throw-away data: durability only costs time here.
innodb_flush_log_at_trx_commit=2
innodb_doublewrite=0
EOF
}

if [[ ! -e $data/.plugdb-installed ]]; then
  write_cnf 0
  log "mariadb-install-db $data"
  mariadb-install-db --defaults-file="$cnf" --user="$run_user" --datadir="$data" \
    --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve \
    >"$dir/install-db.log" 2>&1 || {
    tail_log "$dir/install-db.log"
    die "mariadb-install-db failed"
  }
  touch -- "$data/.plugdb-installed"
fi

# If this script fails after it launched the server, stop that server (by
# its PID), so a failed start leaves nothing running.
launched=
on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -n $launched ]]; then
    stop_server "$launched" mariadbd "$data" TERM launched || true
  fi
  exit "$rc"
}
trap on_exit EXIT

# Keep the previous port when it is still free, so URLs stay the same across
# restarts; another process can still take the port first, hence the retries.
port=$(env_value "$envfile" PLUGDB_MY_PORT)
rm -f -- "$pidfile"
for attempt in 1 2 3; do
  if [[ -z $port ]] || ! port_is_free "$port"; then port=$(free_port); fi
  write_cnf "$port"
  touch -- "$logfile"
  offset=$(stat -c %s -- "$logfile")
  log "starting MariaDB on 127.0.0.1:$port (socket $sock)"
  # Own session and no inherited descriptors: the server outlives this
  # script, and ctest waits for every holder of a test's output pipe.
  # --datadir repeats my.cnf so the command line identifies this server.
  setsid "$mariadbd" --defaults-file="$cnf" --datadir="$data" </dev/null >>"$logfile" 2>&1 &
  launched=$!
  if wait_ready "$launched"; then break; fi
  launched=
  if ((attempt < 3)) && tail -c "+$((offset + 1))" -- "$logfile" | grep -q 'Address already in use'; then
    log "port $port was taken meanwhile; trying another"
    port=
    continue
  fi
  tail_log "$logfile"
  die "MariaDB exited during start (log: $logfile)"
done

# mariadbd writes its pid file once up; it must be the process we launched.
deadline=$((SECONDS + 5))
until [[ -s $pidfile ]] || ((SECONDS >= deadline)); do sleep 0.1; done
pid=$(read_pid)
if [[ $pid != "$launched" ]] || ! is_server "$pid" mariadbd "$data"; then
  die "pid file $pidfile names '$pid', not the launched server $launched"
fi

# The account and database the tests use; idempotent, so a restart on an
# existing data directory runs it again harmlessly.
"${admin[@]}" <<EOF || die "could not create user/database plugdb"
CREATE USER IF NOT EXISTS 'plugdb'@'127.0.0.1' IDENTIFIED BY '$PLUGDB_TEST_PASSWORD';
CREATE USER IF NOT EXISTS 'plugdb'@'localhost' IDENTIFIED BY '$PLUGDB_TEST_PASSWORD';
ALTER USER 'plugdb'@'127.0.0.1' IDENTIFIED BY '$PLUGDB_TEST_PASSWORD';
ALTER USER 'plugdb'@'localhost' IDENTIFIED BY '$PLUGDB_TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'plugdb'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'plugdb'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS plugdb;
EOF
check_tcp "$port"

write_env "$port" "$pid"
log "MariaDB ready: PID $pid, 127.0.0.1:$port, socket $sock ($envfile)"
