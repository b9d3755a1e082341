// Discovery with nodes in their own processes: a worker killed with SIGKILL (node_down through the broker's
// unsubscription, then node_up for its next incarnation) and a worker stopped with SIGSTOP (found down only with
// the liveness check on: its heartbeats stop and the broker drops it).
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { type ClusterProcess, heartbeatsStarted, startClusterProcess } from "./discovery/cluster-process.js";
import { joinOn, layoutOf, recordEvents } from "./discovery/support.js";

const NODES = { manager: "manager", "worker-1": "worker", "worker-2": "worker" } as const;

describe("node discovery with nodes in other processes", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** A child node, SIGCONTed (it may be stopped) and killed at the end of the test. */
  async function childNode(options: Parameters<typeof startClusterProcess>[0]): Promise<ClusterProcess> {
    return cleanup.add(await startClusterProcess(options), async (node) => {
      node.child.kill("SIGCONT");
      await node.child.dispose();
    });
  }

  it("a worker killed with SIGKILL: node_down on the manager; restarted, node_up with its new id", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const nodes = { manager: NODES.manager, "worker-1": NODES["worker-1"] };
    const manager = cleanup.add(await joinOn(broker, layoutOf(nodes), "manager"), (c) => c.close());
    const log = recordEvents(manager);

    const first = await childNode({ broker, nodes, name: "worker-1" });
    await log.waitFor("node_up worker-1", (e) => e.type === "node_up" && e.id === first.nodeId);
    await first.waitFor({ event: "node_up", name: "manager", id: manager.nodeId });

    const mark = log.entries.length;
    first.child.kill("SIGKILL");
    expect((await first.child.waitForExit(5000)).signal).toBe("SIGKILL");
    // The broker sees the TCP connection close (no timeout involved); the wait is bounded, how fast is a benchmark's job.
    await log.waitFor("node_down worker-1", (e) => e.type === "node_down", { from: mark });

    const second = await childNode({ broker, nodes, name: "worker-1" });
    expect(second.nodeId).not.toBe(first.nodeId);
    expect(second.nodeId).toMatch(new RegExp(`^zeromq_worker-1_[^_]+_${second.child.pid}_N`));
    await log.waitFor("node_up of the new worker-1", (e) => e.type === "node_up" && e.id === second.nodeId);
    await second.waitFor({ event: "node_up", name: "manager", id: manager.nodeId });
    expect(log.texts(mark)).toEqual([
      `node_down worker-1 ${first.nodeId} (unsubscribed)`,
      `node_up worker-1 ${second.nodeId}`,
    ]);
    expect(manager.member("worker-1")).toMatchObject({ up: true, id: second.nodeId });
    expect(manager.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
  });

  it("liveness: a SIGSTOPped worker with the check on is down within its timeout; one without it stays up", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const manager = cleanup.add(await joinOn(broker, layoutOf(NODES), "manager"), (c) => c.close());
    const log = recordEvents(manager);
    const timeoutMs = 500;
    const intervalMs = 100;
    const watched = await childNode({
      broker,
      nodes: NODES,
      name: "worker-1",
      liveness: { timeoutMs, intervalMs },
    });
    const unwatched = await childNode({ broker, nodes: NODES, name: "worker-2" });
    for (const worker of [watched, unwatched]) {
      await log.waitFor("node_up", (e) => e.type === "node_up" && e.id === worker.nodeId);
    }

    await heartbeatsStarted(watched, intervalMs);
    const mark = log.entries.length;
    const stoppedAt = performance.now();
    watched.child.kill("SIGSTOP");
    unwatched.child.kill("SIGSTOP");
    const down = await log.waitFor(
      "node_down worker-1",
      (e) => e.type === "node_down" && e.name === "worker-1",
      { from: mark, ms: timeoutMs + 3000 },
    );
    const after = (log.entries[down]?.at ?? Number.POSITIVE_INFINITY) - stoppedAt;
    // The broker drops the connection when the TTL (500 ms) has passed since the last PING (sent every 100 ms):
    // between 400 and 500 ms after the stop, plus the time the unsubscription takes to come through.
    // Not before the TTL could have run out (the wait above bounds how late it may be).
    expect(after).toBeGreaterThanOrEqual(timeoutMs - intervalMs - 50);
    expect(log.texts(mark)).toEqual([`node_down worker-1 ${watched.nodeId} (unsubscribed)`]);
    // Without the check the stopped worker-2 still holds its TCP connections: nothing tells anyone it is gone.
    expect(manager.member("worker-2")).toMatchObject({ up: true, id: unwatched.nodeId });
  });
});
