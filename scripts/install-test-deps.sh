#!/usr/bin/env bash
# Installs the peers the interop tests use that are not ours: Debian's python3-zmq (pyzmq, for tests with another
# ZeroMQ binding) and a real Zeek 8.2.2 (from ../shared/zeek); and libzmq3-dev, which the benchmarks' C baselines
# (a plain zmq_proxy forwarder) are built with. Root on Debian 12; idempotent. Tests that need a
# missing peer are skipped with one visible line, so this is optional on a developer's machine and run by CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

missing=()
/usr/bin/python3 -c 'import zmq' 2>/dev/null || missing+=(python3-zmq)
dpkg -s libzmq3-dev >/dev/null 2>&1 || missing+=(libzmq3-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "${missing[*]} not installed and cannot be installed here (needs root and apt-get)" >&2
  fi
fi
/usr/bin/python3 -c 'import zmq; print("pyzmq", zmq.__version__, "libzmq", zmq.zmq_version())' || true

bash "$here/install-zeek.sh"
