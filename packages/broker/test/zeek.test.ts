// Real Zeek 8.2.2 nodes that use zmqc's broker instead of Zeek's proxy thread (run_proxy_thread=F on every node,
// the manager too), running Zeek's own cluster/zeromq tests: two-nodes and unsubscribe-two-workers with the broker
// embedded in this process, and a manager with two workers (two-nodes plus a worker) with the broker standalone in
// a child process (spawnBroker), as in supervisor-runs-zmq-proxy, in both modes.
import { spawnBroker, startTestBroker } from "@zmqc/broker/testing";
import { type ChildExit, Cleanup, describeOutput, describeWithZeek } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { connectPeer, within } from "./peers.js";
import { recordNotifications } from "./support/recording.js";
import { printed, reservePorts, startZeekNode } from "./support/zeek.js";

// A scenario takes well under a second here; the bound only keeps a wedged Zeek from hanging the run.
const ZEEK_EXIT_MS = 15_000;

type Endpoints = { readonly xpubEndpoint: string; readonly xsubEndpoint: string };

/** What a Zeek node's run shows: its exit and its print lines. */
function outcome(exit: ChildExit) {
  return { code: exit.code, signal: exit.signal, printed: printed(exit.stdout) };
}

/** Reporter output a clean run must not have (stderr only ever says "received termination signal"). */
function problems(exit: ChildExit): string[] {
  return exit.stderr.split("\n").filter((line) => /error|warning|expired/i.test(line));
}

describeWithZeek("Zeek nodes on zmqc's broker (run_proxy_thread=F)", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** Runs the nodes of one scenario to their end, at most ZEEK_EXIT_MS; a failure shows every node's output. */
  async function runNodes(
    broker: Endpoints,
    nodes: readonly { node: string; script: string }[],
  ): Promise<ChildExit[]> {
    const [logPullPort] = (await reservePorts(1)) as [number];
    const running = nodes.map(({ node, script }) =>
      cleanup.add(startZeekNode({ node, script, broker, logPullPort }), (zeek) => zeek.dispose()),
    );
    const results = await Promise.allSettled(running.map((zeek) => zeek.child.waitForExit(ZEEK_EXIT_MS)));
    if (results.every((result) => result.status === "fulfilled"))
      return results.map((result) => result.value);
    // One node stuck usually means another one went wrong: show them all.
    const report = results.map((result, i) => {
      if (result.status === "rejected") return String((result.reason as Error)?.message ?? result.reason);
      const { name } = running[i]?.child ?? { name: "?" };
      return `${name} exited (code ${result.value.code}, signal ${result.value.signal})${describeOutput(name, result.value)}`;
    });
    throw new Error(report.join("\n\n"));
  }

  /** Zeek's two-nodes test: node_up both ways, finish on worker-1's node-id topic, node_down on the manager. */
  async function twoNodes(broker: Endpoints): Promise<void> {
    const [manager, worker] = (await runNodes(broker, [
      { node: "manager", script: "two-nodes-manager.zeek" },
      { node: "worker-1", script: "two-nodes-worker.zeek" },
    ])) as [ChildExit, ChildExit];
    expect(outcome(manager)).toEqual({
      code: 0,
      signal: null,
      printed: ["node_up, worker-1", "node_down, worker-1"],
    });
    expect(outcome(worker)).toEqual({ code: 0, signal: null, printed: ["node_up, manager"] });
    expect([...problems(manager), ...problems(worker)]).toEqual([]);
  }

  it("two-nodes, with the broker embedded in this process", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    await twoNodes(broker);
  });

  it("unsubscribe-two-workers: the manager sees the shared prefix's subscription once, its unsubscription only when both workers have left it", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    // A bystander sees what the broker passes on: every node's 0x01, but a shared prefix's 0x00 only once.
    const bystander = cleanup.add(connectPeer(broker), (peer) => peer.close());
    const notifications = recordNotifications(bystander.xpub);

    const [manager, worker1, worker2] = (await runNodes(broker, [
      { node: "manager", script: "unsubscribe-two-workers-manager.zeek" },
      { node: "worker-1", script: "unsubscribe-two-workers-worker.zeek" },
      { node: "worker-2", script: "unsubscribe-two-workers-worker.zeek" },
    ])) as [ChildExit, ChildExit, ChildExit];

    // Zeek's baselines (testing/btest/Baseline/cluster.zeromq.unsubscribe-two-workers), sorted as diff-sort does.
    expect({ ...outcome(manager), printed: outcome(manager).printed.sort() }).toEqual({
      code: 0,
      signal: null,
      printed: [
        "A node_up, worker-1",
        "A node_up, worker-2",
        "B subscription, /test/worker-1",
        "B subscription, /test/worker-2",
        "B subscription, /test/worker-common",
        "C subscribing to /test/manager-common",
        "D unsubscription, /test/worker-1",
        "D unsubscription, /test/worker-2",
        "D unsubscription, /test/worker-common",
        "E unsubscribing from /test/manager-common",
        "Z node_down, worker-1",
        "Z node_down, worker-2",
      ],
    });
    for (const worker of [worker1, worker2]) {
      expect({ ...outcome(worker), printed: outcome(worker).printed.sort() }).toEqual({
        code: 0,
        signal: null,
        printed: [
          "A start_test",
          "B subscription, /test/manager-common",
          "C unsubscribe from /test/worker-common",
          "C unsubscription, /test/manager-common",
          "D /test/manager-common unsubscribed, terminate()",
        ],
      });
    }
    // In the manager's own order: the shared prefix went away (once), then it unsubscribed, then the workers left.
    const order = printed(manager.stdout);
    const goneAt = order.indexOf("D unsubscription, /test/worker-common");
    expect(order[goneAt + 1]).toBe("E unsubscribing from /test/manager-common");
    expect(order.slice(goneAt).filter((line) => line.startsWith("Z node_down"))).toHaveLength(2);
    expect([...problems(manager), ...problems(worker1), ...problems(worker2)]).toEqual([]);

    // Zeek raised `subscription` once, but both workers' 0x01 went through; the 0x00 went through once. The
    // manager's own unsubscription came after all of these.
    await notifications.waitFor("-/test/manager-common");
    const seen = notifications.values();
    expect(seen.filter((text) => text === "+/test/worker-common")).toHaveLength(2);
    expect(seen.filter((text) => text === "-/test/worker-common")).toHaveLength(1);
    expect(seen.filter((text) => text === "-/test/manager-common")).toHaveLength(1);
  });

  it.each(["native", "managed"] as const)(
    "a manager and two workers on a standalone broker (%s mode, in a child process): node_up for each other, events both ways, node_down for the one that exits",
    async (mode) => {
      const broker = cleanup.add(await spawnBroker({ mode }), (b) => b.close());
      expect(broker.mode).toBe(mode);
      const [manager, worker1, worker2] = (await runNodes(broker, [
        { node: "manager", script: "three-nodes-manager.zeek" },
        { node: "worker-1", script: "three-nodes-worker.zeek" },
        { node: "worker-2", script: "three-nodes-worker.zeek" },
      ])) as [ChildExit, ChildExit, ChildExit];

      const sorted = (exit: ChildExit) => ({ ...outcome(exit), printed: outcome(exit).printed.sort() });
      expect(sorted(manager)).toEqual({
        code: 0,
        signal: null,
        printed: [
          "node_down, worker-1",
          "node_down, worker-2",
          "node_up, worker-1",
          "node_up, worker-2",
          "pong, worker-1",
          "pong, worker-2",
          "ready, worker-1",
          "ready, worker-2",
        ],
      });
      expect(sorted(worker1)).toEqual({
        code: 0,
        signal: null,
        printed: ["node_up, manager", "node_up, worker-2", "ping, manager"],
      });
      expect(sorted(worker2)).toEqual({
        code: 0,
        signal: null,
        printed: ["node_down, worker-1", "node_up, manager", "node_up, worker-1", "ping, manager"],
      });
      // worker-1 went first: the manager saw it go before worker-2, which left only after seeing it go.
      expect(printed(manager.stdout).filter((line) => line.startsWith("node_down"))).toEqual([
        "node_down, worker-1",
        "node_down, worker-2",
      ]);
      expect([...problems(manager), ...problems(worker1), ...problems(worker2)]).toEqual([]);

      // The broker outlives its nodes, and stops cleanly when told to.
      expect(broker.running()).toBe(true);
      expect(await within(5000, "the broker to stop", broker.close())).toEqual({
        code: 0,
        signal: null,
        stderr: "",
      });
    },
  );
});
