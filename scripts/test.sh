#!/usr/bin/env bash
# The whole test suite: install what is missing, build with warnings as
# errors, run every test with ctest. Also builds the release preset that
# scripts/run.sh uses, so the main command cannot break unnoticed.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
./scripts/build.sh "$preset"
if [[ "$preset" != release ]]; then
  ./scripts/build.sh release
fi
ctest --preset "$preset" -j2 --timeout 300
