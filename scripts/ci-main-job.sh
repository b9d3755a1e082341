#!/usr/bin/env bash
# The README's main job as a newcomer runs it: `pnpm start` brings up the default cluster with demo traffic; this
# waits for "all nodes up" and for log rows, then presses Ctrl-C (SIGINT to the whole process group, as a terminal
# does) and requires the ordered stop to finish cleanly. pnpm itself reports the SIGINT as "Command failed", so
# the verdict is the cluster's own last line, not pnpm's exit status.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
rm -rf logs .zmqc
setsid pnpm start >"$out" 2>&1 &
group=$!

fail() {
  echo "main job FAILED: $1"
  cat "$out"
  kill -KILL -- "-$group" 2>/dev/null
  exit 1
}

wait_for() { # <seconds> <description> <test command...>
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    kill -0 "$group" 2>/dev/null || fail "pnpm start exited before $what"
    [ "$SECONDS" -lt "$deadline" ] || fail "no $what within the time allowed"
    sleep 0.5
  done
}

has_rows() { [ -f logs/conn.log ] && grep -qv '^#' logs/conn.log; }

wait_for 90 '"all nodes up"' grep -q "^all nodes up" "$out"
wait_for 30 "rows in logs/conn.log" has_rows
kill -INT -- "-$group"
deadline=$((SECONDS + 60))
while kill -0 "$group" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the cluster did not stop within 60 s of Ctrl-C"
  sleep 0.5
done
grep -qx "cluster stopped" "$out" || fail "the cluster did not stop cleanly"
cat "$out"
echo "main job: $(grep -vc '^#' logs/conn.log) conn.log rows written; every node stopped cleanly"
