#!/usr/bin/env bash
# Installs the Debian packages plugdb needs to build and test, when missing.
set -euo pipefail

packages=(cmake g++ make pkg-config libpoco-dev libgtest-dev libsqlite3-dev libpq-dev libmariadb-dev)
# TOML configuration files (core/src/config_toml.cpp).
packages+=(libtomlplusplus-dev)
# plugdb-bench compares against SOCI (bench/).
packages+=(libsoci-dev)
# plugdb serve exposes /metrics through prometheus-cpp's core library.
packages+=(prometheus-cpp-dev)
# The rocksdb driver plugin (plugins/rocksdb).
packages+=(librocksdb-dev)
# Real servers the tests start in throw-away directories (tests/servers).
packages+=(postgresql-15 postgresql-client-15 mariadb-server mariadb-client openssl)
# Debian packages: cpack's dependency scan (dpkg-shlibdeps, file) and lintian.
packages+=(dpkg-dev file lintian)
# The deployment test: systemd-analyze checks the unit; python3-kubernetes
# holds the Kubernetes API models the manifests are checked against, offline.
packages+=(systemd python3-kubernetes python3-yaml)
# The ASan pass: tests/lsan.supp names glibc functions, which LeakSanitizer
# can only see with glibc's detached debug symbols.
packages+=(libc6-dbg)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
