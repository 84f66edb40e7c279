#!/usr/bin/env bash
# Stops the test servers that start-postgres.sh / start-mariadb.sh started
# in DIR, by the PIDs they recorded (never by process name). Safe to run
# twice or when nothing runs. See README.md.
#   usage: stop.sh [--clean] [--unless-kept] DIR
#     --clean        then remove DIR entirely (and DIR's target when DIR
#                    is a link made by link-dir.sh)
#     --unless-kept  do nothing when PLUGDB_KEEP_TEST_SERVERS=1 (ctest's
#                    cleanup uses this, so a developer can keep the servers)
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

clean=0 unless_kept=0 dir=
for arg in "$@"; do
  case $arg in
    --clean) clean=1 ;;
    --unless-kept) unless_kept=1 ;;
    -*) die "unknown option $arg (usage: ${0##*/} [--clean] [--unless-kept] DIR)" ;;
    *)
      [[ -z $dir ]] || die "usage: ${0##*/} [--clean] [--unless-kept] DIR"
      dir=$arg
      ;;
  esac
done
[[ -n $dir ]] || die "usage: ${0##*/} [--clean] [--unless-kept] DIR"

if ((unless_kept)) && [[ ${PLUGDB_KEEP_TEST_SERVERS:-0} == 1 ]]; then
  log "PLUGDB_KEEP_TEST_SERVERS=1: leaving the servers in $dir running"
  exit 0
fi
link=
if [[ -L $dir ]]; then link=$dir; fi
if [[ ! -d $dir ]]; then
  log "$dir does not exist: nothing to stop"
  if ((clean)) && [[ -n $link ]]; then rm -f -- "$link"; fi
  exit 0
fi
dir=$(cd -- "$dir" && pwd -P)

# The PIDs to stop: what the env file names, plus what the server's own pid
# file names (covers a start that failed before writing the env file).
# stop_server checks that each PID is still that server before signalling.
pids() { # ENVFILE KEY PIDFILE
  {
    env_value "$1" "$2"
    if [[ -r $3 ]]; then head -n 1 -- "$3"; fi
  } 2>/dev/null | tr -dc '0-9\n' | sort -u | sed '/^$/d'
}

failed=0
# PostgreSQL: SIGINT is its "fast" shutdown (rolls back open sessions and
# exits cleanly); SIGTERM would wait for every client to disconnect.
for pid in $(pids "$dir/postgres.env" PLUGDB_PG_PID "$dir/pgdata/postmaster.pid"); do
  stop_server "$pid" postgres "$dir/pgdata" INT || failed=1
done
# MariaDB: SIGTERM is its normal clean shutdown.
for pid in $(pids "$dir/mariadb.env" PLUGDB_MY_PID "$dir/mariadb.pid"); do
  stop_server "$pid" mariadbd "$dir/mydata" TERM || failed=1
done
((failed == 0)) || die "some server in $dir could not be stopped"

if ((clean)); then
  # Refuse to delete a directory these scripts did not make.
  if [[ $dir == / || ! ( (-n $link && $dir == */plugdb-servers.*) || -e $dir/postgres.env || -e $dir/mariadb.env || -d $dir/pgdata ||
    -d $dir/mydata || -d $dir/tls) ]]; then
    die "$dir does not look like a test-servers directory; not removing it"
  fi
  rm -rf -- "$dir"
  log "removed $dir"
  if [[ -n $link ]]; then rm -f -- "$link"; fi
fi
