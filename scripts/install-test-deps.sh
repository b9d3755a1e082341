#!/usr/bin/env bash
# Installs the peers the interop tests use that are not ours: Debian's python3-zmq (pyzmq, for tests with another
# ZeroMQ binding) and a real Zeek 8.2.2 (from ../shared/zeek). Root on Debian 12; idempotent. Tests that need a
# missing peer are skipped with one visible line, so this is optional on a developer's machine and run by CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if ! /usr/bin/python3 -c 'import zmq' 2>/dev/null; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq python3-zmq >/dev/null
  else
    echo "python3-zmq is not installed and cannot be installed here (needs root and apt-get)" >&2
  fi
fi
/usr/bin/python3 -c 'import zmq; print("pyzmq", zmq.__version__, "libzmq", zmq.zmq_version())' || true

bash "$here/install-zeek.sh"
