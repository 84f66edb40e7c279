#!/usr/bin/env bash
# Checks the deployment files without a container engine or a cluster:
#   - the systemd unit with systemd-analyze verify;
#   - the Kubernetes manifests against the API models of Debian's
#     python3-kubernetes (offline), plus the probe paths the host serves.
# scripts/install-deps.sh installs systemd and python3-kubernetes; a missing tool fails
# the test rather than skipping it, so a fresh machine checks the same.
# Usage: deploy_test.sh PACKAGING_DIR BUILD_DIR
set -euo pipefail
packaging=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/plugdb-deploy-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== systemd unit"
for key in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes EnvironmentFile= \
  LoadCredential=db-password DB_PASSWORD_FILE=%d/db-password; do
  grep -qF "$key" "$packaging/systemd/plugdb.service" || fail "unit lacks $key"
done
command -v systemd-analyze >/dev/null || fail "systemd-analyze not installed (scripts/install-deps.sh installs systemd)"
# verify insists that ExecStart exists: point it at this build's host.
sed "s|/usr/bin/plugdb|$build/bin/plugdb|" "$packaging/systemd/plugdb.service" \
  >"$work/plugdb.service"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/plugdb.service" \
  >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
# Messages about other units of this machine are not ours.
if grep -i "plugdb.service" "$work/verify.log"; then fail "systemd-analyze verify warns"; fi
echo "systemd-analyze verify: ok"

echo "== Kubernetes manifests"
manifests=("$packaging"/deploy/kubernetes/*.yaml)
for path in /livez /readyz; do
  grep -q "path: $path" "$packaging/deploy/kubernetes/deployment.yaml" || fail "no probe on $path"
  grep -q "\"$path\"" "$(dirname "$packaging")/host/health_routes.cpp" ||
    fail "the host does not serve $path"
done
# Debian's python3-kubernetes carries the API models: no network, no cluster.
/usr/bin/python3 -c 'import kubernetes, yaml' 2>/dev/null ||
  fail "python3-kubernetes not installed (scripts/install-deps.sh installs it)"
/usr/bin/python3 "$packaging/deploy/validate-manifests.py" "${manifests[@]}"
