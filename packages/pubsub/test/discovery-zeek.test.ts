// Mixed clusters with a real Zeek 8.2.2: (a) a Zeek manager running Zeek's own proxy thread, with two zmqc
// workers; (b) a zmqc manager on zmqc's broker, with two Zeek workers (run_proxy_thread=F). Every node gets
// node_up for every other, node_down when one leaves, cluster_started comes through, and Zeek reports nothing
// about the handshake.
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup, describeWithZeek } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { heartbeatsStarted, startClusterProcess } from "./discovery/cluster-process.js";
import { joinOn, layoutOf, recordEvents, waitForUp } from "./discovery/support.js";
import { discoveryProblems, reservePorts, startZeekNode, type ZeekNode } from "./discovery/zeek.js";
import { within } from "./support.js";

// Zeek starts in well under a second here; the bounds only keep a wedged run from hanging.
const ZEEK_MS = 10_000;

describeWithZeek("node discovery in mixed clusters with Zeek", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  const zeekNode = (options: Parameters<typeof startZeekNode>[0]): ZeekNode =>
    cleanup.add(startZeekNode(options), (zeek) => zeek.dispose());

  /**
   * Ends a Zeek node with SIGTERM and returns its stderr; it must exit cleanly, with no half handshake left
   * (what it prints in zeek_done), so no "Expired …" warning could have come later either.
   */
  async function stopZeek(zeek: ZeekNode): Promise<string> {
    zeek.child.kill("SIGTERM");
    const exit = await zeek.child.waitForExit(ZEEK_MS);
    expect(exit.code, `${zeek.name} exit`).toBe(0);
    expect(exit.stdout.trimEnd().split("\n").at(-1), `${zeek.name}'s pending handshakes`).toBe(
      "pending, 0, 0",
    );
    return exit.stderr;
  }

  it("(a) a Zeek manager with its own proxy thread, and two zmqc workers", async () => {
    const [xpub, xsub, logPullPort] = (await reservePorts(3)) as [number, number, number];
    const broker = { xpubEndpoint: `tcp://127.0.0.1:${xpub}`, xsubEndpoint: `tcp://127.0.0.1:${xsub}` };
    const manager = zeekNode({ node: "manager", script: "manager-with-proxy.zeek", broker, logPullPort });
    const [, managerId] = await manager.waitForPrint(["started"]);

    const layout = layoutOf(
      { manager: "manager", "worker-1": "worker", "worker-2": "worker" },
      { logPort: logPullPort },
    );
    const options = { clusterStarted: true, helloExpiration: 1000 } as const;
    const worker1 = cleanup.add(await joinOn(broker, layout, "worker-1", options), (c) => c.close());
    const worker2 = cleanup.add(await joinOn(broker, layout, "worker-2", options), (c) => c.close());
    const logs = [recordEvents(worker1), recordEvents(worker2)] as const;

    await manager.waitForPrint(["node_up", "worker-1", worker1.nodeId]);
    await manager.waitForPrint(["node_up", "worker-2", worker2.nodeId]);
    await waitForUp(logs[0], ["manager", "worker-2"], ZEEK_MS);
    await waitForUp(logs[1], ["manager", "worker-1"], ZEEK_MS);
    expect(worker1.member("manager")).toMatchObject({ up: true, id: managerId });
    // Zeek's manager took both workers' reports and announced the start; the workers heard it.
    await manager.waitForPrint(["cluster_started"]);
    expect(await within(ZEEK_MS, "cluster_started at worker-1", worker1.clusterStarted)).toBe(true);
    expect(await within(ZEEK_MS, "cluster_started at worker-2", worker2.clusterStarted)).toBe(true);

    await worker2.close();
    await manager.waitForPrint(["node_down", "worker-2", worker2.nodeId]);
    await logs[0].waitFor("node_down worker-2", (e) => e.type === "node_down" && e.name === "worker-2");

    expect(logs[0].texts()).toEqual(
      expect.arrayContaining([
        `node_up manager ${managerId}`,
        `node_up worker-2 ${worker2.nodeId}`,
        "cluster_started",
        `node_down worker-2 ${worker2.nodeId} (unsubscribed)`,
      ]),
    );
    for (const log of logs) expect(log.problems()).toEqual([]);
    expect(worker1.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
    expect(discoveryProblems(await stopZeek(manager))).toEqual([]);
  });

  it("liveness through Zeek's proxy thread: a SIGSTOPped zmqc worker with the check on is node_down on the Zeek manager", async () => {
    const [xpub, xsub, logPullPort] = (await reservePorts(3)) as [number, number, number];
    const broker = { xpubEndpoint: `tcp://127.0.0.1:${xpub}`, xsubEndpoint: `tcp://127.0.0.1:${xsub}` };
    const manager = zeekNode({ node: "manager", script: "manager-with-proxy.zeek", broker, logPullPort });
    await manager.waitForPrint(["started"]);
    const timeoutMs = 500;
    const intervalMs = 100;
    const worker = cleanup.add(
      await startClusterProcess({
        broker,
        nodes: { manager: "manager", "worker-1": "worker", "worker-2": "worker" },
        name: "worker-1",
        liveness: { timeoutMs, intervalMs },
      }),
      async (node) => {
        node.child.kill("SIGCONT");
        await node.child.dispose();
      },
    );
    await manager.waitForPrint(["node_up", "worker-1", worker.nodeId]);
    await heartbeatsStarted(worker, intervalMs);
    worker.child.kill("SIGSTOP");
    // Bounded: the TTL plus slack for a loaded machine.
    await manager.waitForPrint(["node_down", "worker-1", worker.nodeId], timeoutMs + 3000);
    expect(discoveryProblems(await stopZeek(manager))).toEqual([]);
  });

  it("(b) a zmqc manager on zmqc's broker, and two Zeek workers (run_proxy_thread=F)", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const [logPullPort] = (await reservePorts(1)) as [number];
    const layout = layoutOf(
      { manager: "manager", "worker-1": "worker", "worker-2": "worker" },
      { logPort: logPullPort },
    );
    const manager = cleanup.add(
      await joinOn(broker, layout, "manager", { clusterStarted: true, helloExpiration: 1000 }),
      (c) => c.close(),
    );
    const log = recordEvents(manager);
    const workers = ["worker-1", "worker-2"].map((node) =>
      zeekNode({ node, script: "node-on-zmqc-broker.zeek", broker, logPullPort }),
    ) as [ZeekNode, ZeekNode];
    const ids = await Promise.all(workers.map(async (zeek) => (await zeek.waitForPrint(["started"]))[1]));

    await waitForUp(log, ["worker-1", "worker-2"], ZEEK_MS);
    expect(manager.members().map((m) => `${m.name} ${m.up} ${m.id}`)).toEqual([
      `manager true ${manager.nodeId}`,
      `worker-1 true ${ids[0]}`,
      `worker-2 true ${ids[1]}`,
    ]);
    const [worker1, worker2] = workers;
    await worker1.waitForPrint(["node_up", "manager", manager.nodeId]);
    await worker1.waitForPrint(["node_up", "worker-2", ids[1] as string]);
    await worker2.waitForPrint(["node_up", "manager", manager.nodeId]);
    await worker2.waitForPrint(["node_up", "worker-1", ids[0] as string]);
    // Our manager took the Zeek workers' reports and its own, and announced the start to them.
    expect(await within(ZEEK_MS, "cluster_started at the manager", manager.clusterStarted)).toBe(true);
    await worker1.waitForPrint(["cluster_started"]);
    await worker2.waitForPrint(["cluster_started"]);
    expect(log.ofType("cluster_started")).toHaveLength(1);

    const stderr2 = await stopZeek(worker2);
    await log.waitFor("node_down worker-2", (e) => e.type === "node_down" && e.name === "worker-2");
    await worker1.waitForPrint(["node_down", "worker-2", ids[1] as string]);
    expect(log.problems()).toEqual([]);
    expect(manager.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
    expect(discoveryProblems(stderr2)).toEqual([]);
    expect(discoveryProblems(await stopZeek(worker1))).toEqual([]);
  });
});
