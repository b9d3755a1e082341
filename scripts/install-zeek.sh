#!/usr/bin/env bash
# Installs the shared Zeek 8.2.2 build (ZeroMQ cluster backend) that the interop tests run against.
# Zeek dist: $ZMQC_ZEEK_DIST, else <repo>/../shared/zeek (where CI puts a read-only copy of shared/).
# Prints the zeek binary path on its last line. Without a dist it says so and exits 0, so the
# Zeek tests are reported as skipped instead of the whole run failing.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist=${ZMQC_ZEEK_DIST:-$repo/../shared/zeek}
if [ ! -f "$dist/install.sh" ]; then
  echo "Zeek is not available: no $dist/install.sh (set ZMQC_ZEEK_DIST or ZEEK=/path/to/zeek)"
  exit 0
fi
# install.sh is idempotent, sends its progress to stderr and prints the binary path last.
bash "$dist/install.sh"
