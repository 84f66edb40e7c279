#!/usr/bin/env bash
# Makes LINK (a path in the build tree) a symbolic link to a private
# directory under ${TMPDIR:-/tmp} that the server users can enter, or keeps
# the one it already points at. The start and stop scripts accept LINK as
# their DIR. See README.md.
#   usage: link-dir.sh LINK
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

if (($# != 1)) || [[ -z $1 ]]; then die "usage: ${0##*/} LINK"; fi
link_runtime_dir "$1"
