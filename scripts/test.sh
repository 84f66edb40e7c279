#!/usr/bin/env bash
# The whole test suite: install what is missing, build with warnings as
# errors, run every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
./scripts/build.sh "$preset"
ctest --preset "$preset" -j2 --timeout 300
