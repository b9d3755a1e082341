// The pyzmq peer of interop-python.test.ts (./peer.py, run with Debian's /usr/bin/python3), and the skip helper.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Child, startChild } from "@zmqc/zeek-harness";
import { describe } from "vitest";

/** The interpreter that has python3-zmq. */
export const PYTHON = "/usr/bin/python3";
const PEER = fileURLToPath(new URL("./peer.py", import.meta.url));

/** Why pyzmq cannot run here, or undefined when it can. */
export function pyzmqUnavailableReason(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import zmq"], { encoding: "utf8", timeout: 10_000 });
  if (probe.error) return `${PYTHON} did not run: ${probe.error.message}`;
  if (probe.status !== 0) return `${PYTHON} has no pyzmq: ${probe.stderr.trim().split("\n").at(-1) ?? ""}`;
  return undefined;
}

/** `describe` that registers the suite as skipped, with one line on stderr, when pyzmq is missing. */
export function describeWithPyzmq(name: string, fn: () => void): void {
  const reason = pyzmqUnavailableReason();
  if (reason === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`[pyzmq] skipping "${name}": ${reason}\n`);
  describe.skip(name, fn);
}

/** Starts peer.py connected to the broker (its XPUB to the broker's XSUB, its XSUB to the broker's XPUB). */
export function startPythonPeer(broker: { xpubEndpoint: string; xsubEndpoint: string }): Child {
  return startChild("python peer", PYTHON, ["-u", PEER, broker.xsubEndpoint, broker.xpubEndpoint], {
    hardTimeoutMs: 20_000,
  });
}
