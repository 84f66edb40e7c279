#!/usr/bin/env bash
# The whole test suite: install what is missing, build with warnings as
# errors, run every test with ctest, then again under AddressSanitizer +
# UndefinedBehaviorSanitizer, and core's concurrent parts (pool, watchdog,
# transactions) under ThreadSanitizer. Also builds the release preset that
# scripts/run.sh uses, so the main command cannot break unnoticed.
# `scripts/test.sh dev` runs only the first pass (quicker while developing).
# Each step says how long it took, so a slow one is seen.
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
  local started=$SECONDS
  "$@"
  echo "== $* took $((SECONDS - started)) s" >&2
}

step ./scripts/build.sh release
if (($# == 0)); then set -- dev asan tsan; fi
for preset in "$@"; do
  echo "== tests: $preset" >&2
  step ./scripts/build.sh "$preset"
  step ctest --preset "$preset" -j2 --timeout 300
done
echo "== the suite took $SECONDS s" >&2
