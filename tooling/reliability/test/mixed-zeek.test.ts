// Node kills in a mixed cluster: a zmqc broker and manager (this process), a real Zeek worker and a zmqc worker
// (child processes). Killing the zmqc worker with SIGKILL is node_down on the zmqc manager and on Zeek, for the same
// id; killing the Zeek worker is node_down on both zmqc nodes, for the id Zeek gave itself.
import { fileURLToPath } from "node:url";
import { spawnBroker, startTestBroker } from "@zmqc/broker/testing";
import { resolveCluster } from "@zmqc/config";
import { type ClusterEvent, joinCluster } from "@zmqc/pubsub";
import { Cleanup, describeWithZeek, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { startJsonChild } from "../src/children.js";
import { writeLedger } from "../src/ledger.js";
import { waitUntil } from "../src/wait.js";
import { MIXED_LAYOUT as LAYOUT, MIXED_NODES as NODES, startZeekNode } from "../src/zeek-node.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SCRIPT = fileURLToPath(new URL("./zeek/mixed-node.zeek", import.meta.url));
const EVENT_MS = 10_000;

/** Starts Zeek as `node` of LAYOUT on the broker at `broker`, running test/zeek/mixed-node.zeek. */
function startZeek(
  node: string,
  broker: { xpubEndpoint: string; xsubEndpoint: string },
  logPullPort: number,
) {
  const started = startZeekNode(cleanup, { script: SCRIPT, node, layout: LAYOUT, broker, logPullPort });
  return { ...started, line: (fields: readonly string[]) => started.line(fields, EVENT_MS) };
}

/**
 * The zmqc manager of NODES in this process, on the broker at `broker`; `onManager` waits until it has seen a
 * node_up or node_down for `name` with `id`.
 */
async function startManager(broker: { xpubEndpoint: string; xsubEndpoint: string }) {
  const layout = resolveCluster({
    nodes: Object.fromEntries(Object.entries(NODES).map(([name, type]) => [name, { type, ip: "127.0.0.1" }])),
  });
  const manager = cleanup.add(
    await joinCluster({
      layout,
      name: "manager",
      connectXpubEndpoint: broker.xsubEndpoint,
      connectXsubEndpoint: broker.xpubEndpoint,
      lingerMs: 0,
      log: () => {},
    }),
    (c) => c.close(),
  );
  const events: ClusterEvent[] = [];
  manager.on((event) => events.push(event));
  const onManager = (type: "node_up" | "node_down", name: string, id: string) =>
    waitUntil(
      `${type} ${name} on the manager`,
      () => events.some((e) => e.type === type && "id" in e && e.name === name && e.id === id),
      { ms: EVENT_MS },
    );
  return { manager, events, onManager };
}

describeWithZeek("node kills in a mixed cluster (Zeek and zmqc)", () => {
  it("a zmqc worker and a Zeek worker killed with SIGKILL: node_down on every survivor, Zeek's view and ours agree", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const [logPullPort] = await reservePorts(1);
    const { manager, events, onManager } = await startManager(broker);

    const { zeek, line: zeekLine, problems, version } = startZeek("worker-1", broker, logPullPort as number);
    const zeekId = (await zeekLine(["started"])).split(", ")[1] as string;
    const worker2 = cleanup.add(
      startJsonChild("zmqc worker-2", "cluster-node", { broker, nodes: NODES, name: "worker-2" }),
      (c) => c.child.dispose(),
    );
    const worker2Id = String((await worker2.waitFor({ event: "joined" }, 20_000)).id);

    // The full mesh, seen from all three.
    await onManager("node_up", "worker-1", zeekId);
    await onManager("node_up", "worker-2", worker2Id);
    await zeekLine(["node_up", "manager", manager.nodeId]);
    await zeekLine(["node_up", "worker-2", worker2Id]);
    await worker2.waitFor({ event: "node_up", name: "worker-1", id: zeekId }, EVENT_MS);

    // Kill the zmqc worker: the manager (zmqc) and Zeek both see it down, with the same id.
    worker2.child.kill("SIGKILL");
    expect((await worker2.child.waitForExit(5000)).signal).toBe("SIGKILL");
    await onManager("node_down", "worker-2", worker2Id);
    await zeekLine(["node_down", "worker-2", worker2Id]);
    // Kill the Zeek worker: the manager sees it down, with the id Zeek gave itself.
    zeek.kill("SIGKILL");
    expect((await zeek.waitForExit(5000)).signal).toBe("SIGKILL");
    await onManager("node_down", "worker-1", zeekId);

    const zeekProblems = problems();
    const ledger = writeLedger({
      scenario: "mixed-zeek-node-kill",
      title:
        "A zmqc worker and a real Zeek worker killed with SIGKILL in a mixed cluster (zmqc broker and manager)",
      proves:
        "Zeek and zmqc agree on node death: a killed zmqc worker is node_down on the zmqc manager and on Zeek (same id), a killed Zeek worker is node_down on the zmqc manager (the id Zeek gave itself), and Zeek reports no discovery problem.",
      unit: "node_down notifications",
      sent: 3,
      received: 3,
      dropped: {},
      figures: { zeek: version, zeekDiscoveryProblems: zeekProblems.length },
      unexpectedExits: manager.node.stats().internalErrors > 0 ? ["manager: internal errors"] : [],
    });
    expect(ledger.balanced).toBe(true);
    expect(zeekProblems).toEqual([]);
    expect(events.filter((e) => e.type === "warning" || e.type === "error")).toEqual([]);
  });

  it("the broker killed with SIGKILL and restarted on the same ports: neither Zeek nor zmqc sees a node_down, and a node that joins afterwards is up on both", async () => {
    const [xpubPort, xsubPort, logPullPort] = await reservePorts(3);
    const broker = {
      xpubEndpoint: `tcp://127.0.0.1:${xpubPort}`,
      xsubEndpoint: `tcp://127.0.0.1:${xsubPort}`,
    };
    const startBrokerProcess = async () =>
      cleanup.add(
        await spawnBroker({
          listenXpubEndpoint: broker.xpubEndpoint,
          listenXsubEndpoint: broker.xsubEndpoint,
        }),
        (b) => b.close(),
      );
    let brokerProcess = await startBrokerProcess();
    const { manager, events, onManager } = await startManager(broker);
    const { zeek, line: zeekLine, problems, version } = startZeek("worker-1", broker, logPullPort as number);
    const zeekId = (await zeekLine(["started"])).split(", ")[1] as string;
    await onManager("node_up", "worker-1", zeekId);
    await zeekLine(["node_up", "manager", manager.nodeId]);

    brokerProcess.kill("SIGKILL");
    expect((await brokerProcess.exited).signal).toBe("SIGKILL");
    brokerProcess = await startBrokerProcess();
    // A zmqc worker joins through the new broker: both the manager and Zeek must see it, so both have reconnected
    // and re-sent their subscriptions; and it must see both.
    const worker2 = cleanup.add(
      startJsonChild("zmqc worker-2", "cluster-node", { broker, nodes: NODES, name: "worker-2" }),
      (c) => c.child.dispose(),
    );
    const worker2Id = String((await worker2.waitFor({ event: "joined" }, 20_000)).id);
    await onManager("node_up", "worker-2", worker2Id);
    await zeekLine(["node_up", "worker-2", worker2Id]);
    await worker2.waitFor({ event: "node_up", name: "manager", id: manager.nodeId }, EVENT_MS);
    await worker2.waitFor({ event: "node_up", name: "worker-1", id: zeekId }, EVENT_MS);

    const downs = events.filter((e) => e.type === "node_down").length;
    // Zeek printed every line it had by now (flush_all after each): a node_down would be among them.
    const zeekDowns = zeek
      .output()
      .stdout.split("\n")
      .filter((text) => text.startsWith("node_down")).length;
    const ledger = writeLedger({
      scenario: "mixed-zeek-broker-restart",
      title:
        "The broker killed with SIGKILL and restarted on the same ports under a zmqc manager and a real Zeek worker",
      proves:
        "Zeek and zmqc agree that a broker restart is no node death: neither raises node_down (no unsubscription reaches anyone), both reconnect and re-send their subscriptions by themselves, and a node that joins through the new broker is up on both and sees both up.",
      unit: "node_up notifications",
      sent: 4,
      received: 4,
      dropped: {},
      figures: {
        zeek: version,
        nodeDownOnManager: downs,
        nodeDownOnZeek: zeekDowns,
        zeekDiscoveryProblems: problems().length,
      },
      unexpectedExits: brokerProcess.running() ? [] : ["broker (restarted)"],
    });
    expect(ledger.balanced).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(downs).toBe(0);
    expect(zeekDowns).toBe(0);
    expect(problems()).toEqual([]);
  });
});
