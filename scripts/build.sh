#!/usr/bin/env bash
# Configures and builds plugdb with a CMake preset (default: dev).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
./scripts/install-deps.sh
# Always configure: cheap when nothing changed, and it re-applies the preset's
# settings to a build directory made by an older version of the presets.
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
