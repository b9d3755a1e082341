// Every example in examples/ runs as a user would run it, in a child process, exits 0 with nothing on stderr, and
// prints the lines that show it did its work (a broker, real sockets, real events).
import { fileURLToPath } from "node:url";
import { examplesOf, runExample } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const TIMEOUT_MS = 30_000;

/** Lines each example must print, in any order: exact, or a pattern where node ids or ports vary. */
const EXPECTED: Record<string, readonly (string | RegExp)[]> = {
  "discovery.ts": [
    /^manager joined as zeromq_manager_.+_\d+_N\w+$/,
    "manager: node_up worker-1",
    "manager: node_up worker-2",
    "worker-1: node_up manager",
    "worker-1: node_up worker-2",
    "worker-2: node_up manager",
    "worker-2: node_up worker-1",
    "worker pool: 10.0.0.1→worker-1 192.0.2.1→worker-2 192.0.2.4→worker-1 198.51.100.7→worker-2",
    "manager: node_down worker-2 (unsubscribed)",
    "worker-1: node_down worker-2 (unsubscribed)",
    "worker pool: 10.0.0.1→worker-1 192.0.2.1→worker-1 192.0.2.4→worker-1 198.51.100.7→worker-1",
    "manager's view: worker-2 (worker) down",
  ],
  "publish-subscribe.ts": [
    "the sender sees a subscription to demo.sensors.",
    "received Sensors::reading(kitchen, 1, 21.5) on demo.sensors.kitchen",
    "received Sensors::reading(kitchen, 2, 21.75) on demo.sensors.kitchen",
    "received Sensors::reading(garage, 1, 8.25) on demo.sensors.garage",
    "sender: eventsPublished=4 publishQueueDrops=0",
    "receiver: eventsReceived=4 typeErrors=1",
  ],
  "status-stream.ts": [
    /^status: connected xpub tcp:\/\/127\.0\.0\.1:\d+$/,
    /^status: connected xsub tcp:\/\/127\.0\.0\.1:\d+$/,
    "status: subscription demo.jobs.",
    "status: subscription demo.replies.",
    "status: dropWarning onloopDrops: [zeromq] warn: dropped a message due to onloop queue full (onloop queue full)",
    "job 1 read from the stream",
    "job 2 read from the stream",
    "monitor: eventsReceived=6 onloopDrops=3",
    "status: unsubscription demo.replies.",
    "status: closed",
  ],
};

describe("examples", () => {
  it("every example has its expected lines here", () => {
    expect(examplesOf(packageDir)).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(examplesOf(packageDir))(
    "%s runs",
    async (file) => {
      const result = await runExample(packageDir, file, { timeoutMs: TIMEOUT_MS });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
      const lines = result.stdout.split("\n");
      const missing = (EXPECTED[file] ?? []).filter((expected) =>
        typeof expected === "string" ? !lines.includes(expected) : !lines.some((line) => expected.test(line)),
      );
      expect(missing, result.stdout).toEqual([]);
    },
    TIMEOUT_MS + 5_000,
  );
});
