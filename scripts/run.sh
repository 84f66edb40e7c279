#!/usr/bin/env bash
# The main job: build if needed, then serve on the default SQLite database
# (./var/plugdb.db), which first applies the example schema in migrations/.
# Extra arguments go to `plugdb serve`, e.g. --listen 0.0.0.0:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh release >&2
exec ./build/release/bin/plugdb serve "$@"
