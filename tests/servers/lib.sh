# Shared helpers for the test-server scripts in this folder. Sourced, not run.
# shellcheck shell=bash

# Password of the `plugdb` account on every test server; tests hard-code it.
# shellcheck disable=SC2034 # used by the scripts that source this file
PLUGDB_TEST_PASSWORD=plugdb-test-pw
# Seconds to wait for a server to accept connections, and for one to exit.
PLUGDB_START_TIMEOUT=${PLUGDB_START_TIMEOUT:-30}
PLUGDB_STOP_TIMEOUT=${PLUGDB_STOP_TIMEOUT:-20}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# usage_dir "$@": checks the one DIR argument and prints it as an absolute
# path, creating it. Env files hold paths unquoted (tests parse KEY=VALUE
# lines literally), so only characters that need no quoting are accepted.
# DIR may be a symbolic link made by link_runtime_dir; the path printed is
# then the link's target.
usage_dir() {
  if (($# != 1)) || [[ -z $1 ]]; then die "usage: ${0##*/} DIR"; fi
  [[ $1 =~ ^[A-Za-z0-9._/@+,:=-]+$ ]] ||
    die "DIR '$1' has characters that would need quoting; pick a plainer path"
  if [[ -L $1 && ! -d $1 ]]; then
    die "$1 links to $(readlink -- "$1"), which is gone; run link-dir.sh $1 again"
  fi
  mkdir -p -- "$1" || die "cannot create $1"
  local resolved
  resolved=$(cd -- "$1" && pwd -P)
  [[ $resolved =~ ^[A-Za-z0-9._/@+,:=-]+$ ]] ||
    die "DIR '$resolved' has characters that would need quoting; pick a plainer path"
  printf '%s\n' "$resolved"
}

# link_runtime_dir LINK: makes LINK a symbolic link to a fresh private
# directory under ${TMPDIR:-/tmp} (kept when LINK already points at one of
# ours). Checkouts often sit where the server users cannot enter (/root and
# Debian 12's home directories are 0700), so the servers' files live there
# while the build tree keeps a stable name for them.
link_runtime_dir() {
  local link=$1 target
  if [[ -L $link ]]; then
    target=$(readlink -- "$link")
    if [[ -d $target && ! -L $target && -O $target && $target == "${TMPDIR:-/tmp}"/plugdb-servers.* ]]; then
      return 0
    fi
    rm -f -- "$link"
  elif [[ -e $link ]]; then
    die "$link exists and is not a link to a runtime directory; stop its servers (stop.sh --clean $link) and remove it"
  fi
  mkdir -p -- "$(dirname -- "$link")"
  target=$(mktemp -d "${TMPDIR:-/tmp}/plugdb-servers.XXXXXX") || die "cannot create a directory in ${TMPDIR:-/tmp}"
  # The server users (postgres) enter it; only its owner writes.
  chmod 0755 -- "$target"
  ln -s -- "$target" "$link" || die "cannot link $link to $target"
  log "servers' directory $target (linked from $link)"
}

# A unix socket path must fit sockaddr_un.sun_path (108 bytes with the NUL).
check_socket_path() {
  ((${#1} <= 107)) ||
    die "socket path $1 is ${#1} bytes, over the 107 a unix socket allows; use a shorter DIR"
}

# The OS user a server runs as: servers refuse root (PostgreSQL) or are
# better off without it (MariaDB), so as root we drop to the packaged user.
server_user() { # $1 = packaged user (postgres, mysql)
  if ((EUID == 0)); then printf '%s\n' "$1"; else id -un; fi
}

# run_as USER CMD...: runs CMD as USER; from / so a cwd USER cannot enter
# does not produce warnings or failures.
run_as() {
  local user=$1
  shift
  if [[ $user == "$(id -un)" ]]; then
    (cd / && "$@")
  else
    (cd / && runuser -u "$user" -- "$@")
  fi
}

# The server user must reach DIR: every parent needs search permission.
check_reachable() { # $1 = user, $2 = dir
  run_as "$1" test -x "$2" ||
    die "OS user '$1' cannot enter $2 (a parent directory lacks o+x); use a DIR it can reach"
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
# The kernel picks it (bind to port 0); the caller retries if another
# process takes it before the server binds.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' && return
  fi
  # Without python3: random ports until one refuses connections.
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return
    fi
  done
  die "found no free TCP port on 127.0.0.1"
}

# port_is_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive PID: the process exists and is not a zombie (a server this
# script started and then killed stays a zombie until the script exits).
pid_alive() {
  [[ $1 =~ ^[0-9]+$ ]] && [[ -r /proc/$1/stat ]] || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# is_server PID COMM DATADIR: PID is alive, is the program COMM, and serves
# DATADIR (its cwd, where both servers chdir, or its command line names it).
# This keeps a recycled PID of an unrelated process from being reused or
# killed.
is_server() {
  local pid=$1 comm=$2 datadir=$3 actual cwd
  pid_alive "$pid" || return 1
  actual=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ $actual == "$comm" ]] || return 1
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || cwd=
  [[ $cwd == "$datadir" ]] && return 0
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$datadir"
}

# children_of PID: prints the PIDs whose parent is PID (from /proc, so no
# process-name matching is involved).
children_of() {
  local stat rest ppid
  for stat in /proc/[0-9]*/stat; do
    rest=$(cat "$stat" 2>/dev/null) || continue
    rest=${rest##*) }
    ppid=${rest#* }
    ppid=${ppid%% *}
    if [[ $ppid == "$1" ]]; then
      stat=${stat#/proc/}
      printf '%s\n' "${stat%/stat}"
    fi
  done
}

# wait_gone PID SECONDS: true once PID has exited (or is a zombie).
wait_gone() {
  local deadline=$((SECONDS + $2))
  while pid_alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# stop_server PID COMM DATADIR SIGNAL [launched]: asks the server to shut
# down with SIGNAL, waits PLUGDB_STOP_TIMEOUT s, then SIGKILLs it and
# whichever of its child processes are still there. Only the given PID and
# its children are signalled; nothing is looked up by name. "launched" means
# the caller started PID itself moments ago: it may not have exec'd or
# reached its data directory yet, so only liveness is checked.
stop_server() {
  local pid=$1 comm=$2 datadir=$3 sig=$4 child
  if [[ ${5:-} == launched ]]; then
    if ! pid_alive "$pid"; then
      log "$comm: PID $pid is not running"
      return 0
    fi
  elif ! is_server "$pid" "$comm" "$datadir"; then
    log "$comm: PID $pid is not running (or is no longer $comm for $datadir)"
    return 0
  fi
  local children
  children=$(children_of "$pid")
  log "$comm: stopping PID $pid (SIG$sig)"
  kill -s "$sig" "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$PLUGDB_STOP_TIMEOUT"; then
    log "$comm: PID $pid still running after ${PLUGDB_STOP_TIMEOUT}s, sending SIGKILL"
    kill -s KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || die "$comm: PID $pid survived SIGKILL"
  fi
  # PostgreSQL's children exit on their own once the postmaster is gone;
  # give them a moment, then kill the stragglers (if still the same program).
  for child in $children; do
    if ! wait_gone "$child" 5 && [[ $(cat "/proc/$child/comm" 2>/dev/null) == "$comm" ]]; then
      log "$comm: child PID $child still running, sending SIGKILL"
      kill -s KILL "$child" 2>/dev/null || true
      wait_gone "$child" 5 || true
    fi
  done
  log "$comm: PID $pid stopped"
}

# env_value FILE KEY: prints KEY's value from a KEY=VALUE file (empty if
# absent). The file is parsed, not sourced.
env_value() {
  [[ -r $1 ]] || return 0
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == "$2="* ]]; then
      printf '%s\n' "${line#*=}"
      return 0
    fi
  done <"$1"
}

# write_file_atomically FILE: stdin to FILE through a temporary file, so a
# reader never sees half an env file.
write_file_atomically() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  chmod 0644 "$tmp"
  mv -f -- "$tmp" "$1"
}

# tail_log FILE: the end of a server log, for failure messages.
tail_log() {
  if [[ -s $1 ]]; then
    log "last lines of $1:"
    tail -n 40 -- "$1" >&2
  else
    log "$1 is empty or missing"
  fi
}

# ensure_ca DIR: a throw-away certificate authority in DIR/tls (ca.crt,
# ca.key), made once per DIR and shared by both servers, so one CA file
# verifies either. A lock keeps two start scripts from racing to make it.
ensure_ca() {
  local tls=$1/tls
  mkdir -p -- "$tls"
  chmod 0755 -- "$tls"
  (
    flock 9
    if [[ -s $tls/ca.crt && -s $tls/ca.key ]]; then exit 0; fi
    umask 077
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout "$tls/ca.key.tmp" -out "$tls/ca.crt.tmp" \
      -subj "/CN=plugdb test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$tls/openssl.err" ||
      {
        cat "$tls/openssl.err" >&2
        exit 1
      }
    chmod 0644 "$tls/ca.crt.tmp"
    mv -f "$tls/ca.key.tmp" "$tls/ca.key"
    mv -f "$tls/ca.crt.tmp" "$tls/ca.crt"
    rm -f "$tls/openssl.err"
  ) 9>"$tls/.lock" || die "could not create the test CA in $tls"
}

# issue_server_cert DIR OUTDIR OWNER: server.crt/server.key in OUTDIR,
# signed by DIR's CA, valid for 127.0.0.1, ::1 and localhost (so clients can
# verify the host name). The key is 0600 and owned by the server's user:
# PostgreSQL refuses a key that others can read.
issue_server_cert() {
  local dir=$1 out=$2 owner=$3 ext
  ensure_ca "$dir"
  mkdir -p -- "$out"
  if [[ ! -s $out/server.crt || ! -s $out/server.key ]]; then
    ext=$(mktemp)
    printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" >"$ext"
    if ! (
      umask 077
      openssl req -new -newkey rsa:2048 -nodes -sha256 \
        -keyout "$out/server.key.tmp" -out "$out/server.csr" -subj "/CN=localhost" &&
        openssl x509 -req -in "$out/server.csr" -sha256 -days 3650 \
          -CA "$dir/tls/ca.crt" -CAkey "$dir/tls/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
          -extfile "$ext" -out "$out/server.crt.tmp"
    ) 2>"$ext.err"; then
      cat "$ext.err" >&2
      rm -f -- "$ext" "$ext.err"
      die "could not create the server certificate in $out"
    fi
    rm -f -- "$ext" "$ext.err" "$out/server.csr"
    chmod 0644 "$out/server.crt.tmp"
    mv -f "$out/server.key.tmp" "$out/server.key"
    mv -f "$out/server.crt.tmp" "$out/server.crt"
  fi
  chmod 0600 "$out/server.key"
  if ((EUID == 0)); then chown "$owner:" "$out/server.key" "$out/server.crt"; fi
}
