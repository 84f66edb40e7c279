#!/usr/bin/env bash
# Installs a build tree, moves the install and checks the host still finds its
# plugins; builds the Debian packages and proves what they promise:
#   - each driver package depends on its own engine's client library only;
#   - the core package depends on libtomlplusplus3 (TOML configuration files);
#   - lintian finds no errors;
#   - host + core + the sqlite driver, extracted into an empty root, list only
#     sqlite; adding the cockroach driver package alone makes cockroach (and
#     not postgres) available; adding the postgres one makes postgres available;
#   - a release configuration (tests off) still installs the conformance kit;
#   - the plugin template builds out of tree against the installed SDK
#     (libplugdb-dev) with the SDK's warning flags, passes the conformance kit,
#     loads in the installed host and applies portable migrations; against an
#     SDK without the kit it refuses to configure.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/plugdb-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The host must find plugins from its own location only.
unset PLUGDB_PLUGIN_PATH PLUGDB_CONFIG DATABASE_URL DB_DRIVER
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "cmake --install: a relocatable tree"
cmake --install "$build" --prefix "$work/install" >/dev/null
mv "$work/install" "$work/moved"
for f in bin/plugdb lib/libplugdb-core.so.0 include/plugdb/driver.h lib/cmake/plugdb/plugdbConfig.cmake \
  lib/pkgconfig/plugdb.pc share/plugdb/config/plugdb.example.ini; do
  [[ -e $work/moved/$f ]] || fail "the install tree has no $f"
done
drivers=$("$work/moved/bin/plugdb" drivers --format json)
for name in sqlite postgres mysql rocksdb cockroach; do
  [[ $drivers == *"\"file\":\"$work/moved/lib/plugdb/plugins/libplugdb-$name.so\""* ]] ||
    fail "the moved install tree does not find $name: $drivers"
done
rm -rf "$work/moved"

step "a release configuration (tests off) installs the conformance kit too"
cmake -S "$source_dir" -B "$work/release-config" -DCMAKE_BUILD_TYPE=Release \
  -DPLUGDB_BUILD_TESTS=OFF -DPLUGDB_BUILD_BENCH=OFF >"$work/release-config.log" 2>&1 ||
  { cat "$work/release-config.log"; fail "configuring a release build"; }
for f in libplugdb-conformance.a conformance.h plugdbConformanceTargets PlugdbConformance.cmake; do
  grep -q "$f" "$work/release-config/packaging/cmake_install.cmake" ||
    fail "a release build's install has no $f"
done
rm -rf "$work/release-config"

step "cpack -G DEB"
cpack -G DEB -B "$work/debs" --config "$build/CPackConfig.cmake" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb() {
  local f
  f=$(ls "$work/debs/$1"_*.deb 2>/dev/null | head -n1)
  [[ -n $f ]] || fail "no package $1 in $(ls "$work/debs")"
  echo "$f"
}
for pkg in plugdb libplugdb-core libplugdb-dev plugdb-driver-sqlite plugdb-driver-postgres \
  plugdb-driver-mysql plugdb-driver-rocksdb plugdb-driver-cockroach; do
  f=$(deb "$pkg")
  echo "$(basename "$f"): $(dpkg-deb -f "$f" Installed-Size) KiB installed;" \
    "Depends: $(dpkg-deb -f "$f" Depends)"
  for field in Version Maintainer Description Section; do
    [[ -n $(dpkg-deb -f "$f" "$field") ]] || fail "$pkg has no $field"
  done
done

step "driver packages depend on their own engine only"
depends() { dpkg-deb -f "$(deb "$1")" Depends; }
sqlite_deps=$(depends plugdb-driver-sqlite)
[[ $sqlite_deps != *libpq* && $sqlite_deps != *mariadb* && $sqlite_deps != *mysql* ]] ||
  fail "plugdb-driver-sqlite pulls another engine: $sqlite_deps"
[[ $sqlite_deps == *libsqlite3* && $sqlite_deps == *libplugdb-core* ]] ||
  fail "plugdb-driver-sqlite lacks libsqlite3 or libplugdb-core: $sqlite_deps"
pg_deps=$(depends plugdb-driver-postgres)
[[ $pg_deps == *libpq5* && $pg_deps != *mariadb* && $pg_deps != *sqlite* ]] ||
  fail "plugdb-driver-postgres: $pg_deps"
my_deps=$(depends plugdb-driver-mysql)
[[ $my_deps == *mariadb* && $my_deps != *libpq* && $my_deps != *sqlite* ]] ||
  fail "plugdb-driver-mysql: $my_deps"
rocks_deps=$(depends plugdb-driver-rocksdb)
[[ $rocks_deps == *librocksdb* && $rocks_deps == *libplugdb-core* && $rocks_deps != *libpq* &&
  $rocks_deps != *mariadb* && $rocks_deps != *sqlite* && $rocks_deps != *libpocodata* ]] ||
  fail "plugdb-driver-rocksdb: $rocks_deps"
crdb_deps=$(depends plugdb-driver-cockroach)
[[ $crdb_deps == *libpq5* && $crdb_deps == *libplugdb-core* && $crdb_deps != *plugdb-driver-postgres* &&
  $crdb_deps != *mariadb* && $crdb_deps != *sqlite* ]] ||
  fail "plugdb-driver-cockroach: $crdb_deps"
# TOML configuration files are read by the core library (toml++, linked privately).
core_deps=$(depends libplugdb-core)
[[ $core_deps == *libtomlplusplus3* ]] ||
  fail "libplugdb-core does not depend on libtomlplusplus3: $core_deps"
host_deps=$(depends plugdb)
[[ $host_deps != *libpq* && $host_deps != *mariadb* ]] || fail "plugdb pulls an engine: $host_deps"

step "apt can resolve host + core + one driver on this system (simulated)"
apt-get install -s --no-install-recommends "$(deb plugdb)" "$(deb libplugdb-core)" \
  "$(deb plugdb-driver-sqlite)" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get -s"; }
grep '^Inst' "$work/apt.log"

step "lintian"
if command -v lintian >/dev/null; then
  lintian --fail-on error --suppress-tags-from-file /dev/null "$work"/debs/*.deb \
    >"$work/lintian.log" 2>&1 || { cat "$work/lintian.log"; fail "lintian reports errors"; }
  cat "$work/lintian.log"
else
  fail "lintian is not installed (scripts/install-deps.sh installs it)"
fi

step "host + core + sqlite driver in an empty root"
root="$work/root"
for pkg in plugdb libplugdb-core plugdb-driver-sqlite; do dpkg-deb -x "$(deb "$pkg")" "$root"; done
plugdb="$root/usr/bin/plugdb"
ldd "$root/usr/lib/plugdb/plugins/libplugdb-sqlite.so" >"$work/ldd.txt"
! grep -Eq 'libpq|mariadb|mysql' "$work/ldd.txt" || fail "the sqlite plugin links another engine"
drivers=$("$plugdb" drivers --format json)
echo "$drivers"
[[ $drivers == *'"name":"sqlite"'* ]] || fail "sqlite is not listed"
[[ $drivers != *'"name":"postgres"'* && $drivers != *'"name":"mysql"'* ]] ||
  fail "drivers that are not installed are listed"
[[ $drivers == *"\"file\":\"$root/usr/lib/plugdb/plugins/"* ]] ||
  fail "the plugin was not found next to the installed host"
out=$("$plugdb" --url "sqlite:$work/app.db" sql "SELECT 40 + 2 AS answer")
[[ $out == *42* ]] || fail "sqlite query through the installed host: $out"
size_one=$(du -sk --apparent-size "$root/usr" | cut -f1)

step "adding plugdb-driver-cockroach, without the postgres driver"
dpkg-deb -x "$(deb plugdb-driver-cockroach)" "$root"
drivers=$("$plugdb" drivers --format json)
[[ $drivers == *'"name":"cockroach"'* && $drivers != *'"name":"postgres"'* ]] ||
  fail "cockroach is not listed on its own: $drivers"
! ldd "$root/usr/lib/plugdb/plugins/libplugdb-cockroach.so" | grep -q 'libplugdb-postgres' ||
  fail "the cockroach plugin links the postgres plugin"
# Loaded and connecting (refused on port 1), not refused as a plugin.
out=$("$plugdb" --url cockroach://plugdb@127.0.0.1:1/x --set connect.attempts=1 ping 2>&1) || true
[[ $out == *"cockroach: cannot connect to 127.0.0.1:1/x"* ]] ||
  fail "the cockroach plugin did not load without the postgres one: $out"
out=$("$plugdb" --driver cockroach --url postgresql://plugdb@127.0.0.1:1/x --set connect.attempts=1 \
  ping 2>&1) || true
[[ $out == *"cockroach: cannot connect to 127.0.0.1:1/x"* ]] ||
  fail "db.driver=cockroach with a postgresql:// URL and no postgres driver: $out"

step "adding plugdb-driver-postgres, nothing else"
dpkg-deb -x "$(deb plugdb-driver-postgres)" "$root"
drivers=$("$plugdb" drivers --format json)
[[ $drivers == *'"name":"postgres"'* && $drivers == *'"name":"sqlite"'* ]] ||
  fail "postgres did not appear: $drivers"
dpkg-deb -x "$(deb plugdb-driver-mysql)" "$root"
step "adding plugdb-driver-rocksdb: the key-value engine through the installed host"
dpkg-deb -x "$(deb plugdb-driver-rocksdb)" "$root"
(cd "$work" && DATABASE_URL=rocksdb:./var/kv "$plugdb" kv put a 1 >/dev/null) ||
  fail "kv put on rocksdb through the installed host"
out=$(cd "$work" && DATABASE_URL=rocksdb:./var/kv "$plugdb" kv get a)
[[ $out == 1 ]] || fail "kv get on rocksdb through the installed host: $out"
size_all=$(du -sk --apparent-size "$root/usr" | cut -f1)
field_sum() {
  local total=0 pkg
  for pkg in "$@"; do total=$((total + $(dpkg-deb -f "$(deb "$pkg")" Installed-Size))); done
  echo "$total"
}
sizes="installed size, host + core + sqlite driver: ${size_one} KiB on disk,"
sizes+=" $(field_sum plugdb libplugdb-core plugdb-driver-sqlite) KiB by Installed-Size;"
sizes+=" with all three drivers: ${size_all} KiB on disk,"
sizes+=" $(field_sum plugdb libplugdb-core plugdb-driver-sqlite plugdb-driver-postgres \
  plugdb-driver-mysql) KiB by Installed-Size (plugdb files only; shared Poco/engine libraries not counted)"
echo "$sizes" | tee "$build/packaging-sizes.txt"

step "plugin template, out of tree, against the installed SDK"
dpkg-deb -x "$(deb libplugdb-dev)" "$root"
sdk="$root/usr"
[[ -f $sdk/lib/pkgconfig/plugdb.pc ]] || fail "no pkg-config file"
PKG_CONFIG_PATH="$sdk/lib/pkgconfig" pkg-config --cflags plugdb | grep -q -- "-I$sdk/lib/pkgconfig/../../include" ||
  fail "pkg-config prefix is not relocatable: $(PKG_CONFIG_PATH="$sdk/lib/pkgconfig" pkg-config --cflags plugdb)"
cp -r "$sdk/share/plugdb/plugin-template" "$work/template"
# CMAKE_FIND_ROOT_PATH is not used: only the extracted SDK has plugdb, so the
# source tree and the build tree cannot be found by accident.
# Only -Werror here: the warnings themselves must come from plugdb_add_driver.
cmake -S "$work/template" -B "$work/template-build" -DCMAKE_PREFIX_PATH="$sdk" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_CXX_FLAGS="-Werror" >"$work/template.log" 2>&1 ||
  { cat "$work/template.log"; fail "configuring the template"; }
grep -q "plugdb_DIR:PATH=$sdk/lib/cmake/plugdb" "$work/template-build/CMakeCache.txt" ||
  fail "the template did not use the installed SDK: $(grep plugdb_DIR "$work/template-build/CMakeCache.txt")"
grep '"command"' "$work/template-build/compile_commands.json" | grep 'tinysql.cpp' |
  grep -q -- '-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor' ||
  fail "plugdb_add_driver did not set the warning flags: $(grep tinysql.cpp "$work/template-build/compile_commands.json")"
cmake --build "$work/template-build" -j2 >>"$work/template.log" 2>&1 ||
  { cat "$work/template.log"; fail "building the template"; }
ctest --test-dir "$work/template-build" -j2 --output-on-failure >"$work/template-ctest.log" 2>&1 ||
  { cat "$work/template-ctest.log"; fail "the conformance kit on the template driver"; }
tail -n 3 "$work/template-ctest.log"
cmake --install "$work/template-build" --prefix "$sdk" >/dev/null
drivers=$("$plugdb" drivers --format json)
[[ $drivers == *'"name":"tinysql"'* ]] || fail "the installed host does not list tinysql: $drivers"
out=$("$plugdb" --url "tinysql:$work/t.db" sql "CREATE TABLE t (x INTEGER)" \
  "INSERT INTO t VALUES (7)" "SELECT x * 6 AS y FROM t")
[[ $out == *42* ]] || fail "query through tinysql in the installed host: $out"

step "portable migrations on the third-party driver (its SqlDialect, its lock)"
mkdir -p "$work/migrations/0001_notes"
echo "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, at TIMESTAMP NOT NULL);" \
  >"$work/migrations/0001_notes/up.sql"
out=$(DB_MIGRATE_PATH="$work/migrations" "$plugdb" --url "tinysql:$work/m.db" migrate up)
[[ $out == *"now at version 1"* ]] || fail "migrate up on tinysql: $out"
out=$("$plugdb" --url "tinysql:$work/m.db" sql "SELECT name FROM sqlite_master WHERE type = 'table'")
[[ $out == *notes* && $out != *plugdb_migrations_lock* ]] ||
  fail "tinysql's migration ran without the lock its dialect names: $out"

step "the template refuses to configure against an SDK without the kit"
cp -a "$sdk" "$work/sdk-nokit"
rm -f "$work/sdk-nokit"/lib/cmake/plugdb/plugdbConformanceTargets*.cmake
if cmake -S "$work/template" -B "$work/template-nokit" -DCMAKE_PREFIX_PATH="$work/sdk-nokit" \
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON >"$work/template-nokit.log" 2>&1; then
  fail "the template configured without a conformance kit"
fi
grep -q "without the conformance kit" "$work/template-nokit.log" ||
  { cat "$work/template-nokit.log"; fail "the refusal does not say the kit is missing"; }
cmake -S "$work/template" -B "$work/template-nokit" -DCMAKE_PREFIX_PATH="$work/sdk-nokit" \
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -DTINYSQL_CONFORMANCE=OFF >"$work/template-nokit.log" 2>&1 ||
  { cat "$work/template-nokit.log"; fail "TINYSQL_CONFORMANCE=OFF did not configure"; }
echo "PASS"
