// Zeek's overload-worker-proxy-topic-drop in a mixed cluster: a zmqc broker (spawnBroker) and manager, a real Zeek
// worker (test/zeek/load-node.zeek) and a zmqc worker (src/children/load-node.ts), both with Zeek's lowered HWMs,
// flood the worker topic at once, so each is sender and receiver. Zeek's own drop counters (its metrics, read with
// Telemetry::collect_metrics) and zmqc's count the same things in the same places — XPUB drops at the sender, onloop
// drops at the receiver — nothing locks up, and one ledger over both implementations balances, in deliveries.
import { fileURLToPath } from "node:url";
import { spawnBroker } from "@zmqc/broker/testing";
import { TYPE_TOPICS } from "@zmqc/pubsub";
import { Cleanup, describeWithZeek, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { writeLedger } from "../src/ledger.js";
import { fullMesh, type LedgerNode, type LoadStats, overloadLedger, startLoadNode } from "../src/load.js";
import { waitUntil } from "../src/wait.js";
import { MIXED_LAYOUT as LAYOUT, MIXED_NODES as NODES, startZeekNode } from "../src/zeek-node.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SCRIPT = fileURLToPath(new URL("./zeek/load-node.zeek", import.meta.url));
/** The HWMs test/zeek/load-node.zeek sets (Zeek's overload-worker-proxy-topic-drop). */
const OPTIONS = { xpubSndhwm: 100, xsubRcvhwm: 50, onloopQueueHwm: 50 };
/** Pings each worker publishes. */
const COUNT = 20_000;
const TOPIC = TYPE_TOPICS.worker;

/** Zeek's counters, from its last `stats` line. */
function zeekStats(fields: readonly string[] | undefined) {
  const n = (i: number) => Number(fields?.[i] ?? Number.NaN);
  return {
    published: n(1),
    xpubDrops: n(2),
    onloopDrops: n(3),
    consumed: n(4),
    gaps: n(5),
    disorder: n(6),
    flooded: fields?.[7] === "T",
  };
}

describeWithZeek("overload in a mixed cluster (Zeek and zmqc)", () => {
  it("a Zeek worker and a zmqc worker flood each other: both count XPUB drops at the sender and onloop drops at the receiver, nothing locks up, the ledger balances", async () => {
    const broker = cleanup.add(await spawnBroker(), (b) => b.close());
    const [logPullPort] = await reservePorts(1);
    const [manager, worker2] = await Promise.all(
      (["manager", "worker-2"] as const).map((name) =>
        startLoadNode(cleanup, { broker, nodes: NODES, name, options: OPTIONS }, { hardTimeoutMs: 120_000 }),
      ),
    );
    if (manager === undefined || worker2 === undefined) throw new Error("unreachable");
    await fullMesh([manager, worker2]);
    const zeek = startZeekNode(cleanup, {
      script: SCRIPT,
      node: "worker-1",
      layout: LAYOUT,
      broker,
      logPullPort: logPullPort as number,
      env: { FLOOD_COUNT: String(COUNT), FLOOD_PEER: "worker-2" },
    });
    const zeekId = (await zeek.line(["started"], 20_000)).split(", ")[1] as string;
    await manager.json.waitFor({ event: "node_up", name: "worker-1", id: zeekId }, 20_000);
    await worker2.json.waitFor({ event: "node_up", name: "worker-1", id: zeekId }, 20_000);
    // Zeek starts its flood when it sees worker-2 up; worker-2 starts now.
    await zeek.line(["node_up", "worker-2", worker2.id], 20_000);
    const flooded = await worker2.flood([TOPIC], COUNT);
    await waitUntil("Zeek's flood", () => zeekStats(zeek.last("stats")).flooded, { ms: 60_000 });

    // Quiescence: every delivery consumed or counted, on both sides.
    const stats = new Map<string, LoadStats>();
    const ledgerNodes = (): LedgerNode[] => {
      const z = zeekStats(zeek.last("stats"));
      const zmqc = (name: string) => stats.get(name) as LoadStats;
      return [
        {
          name: "manager",
          type: "manager",
          flooded: {},
          xpubDrops: zmqc("manager").stats.xpubDrops as number,
          onloopDrops: zmqc("manager").stats.onloopDrops as number,
          received: zmqc("manager").received,
        },
        {
          name: "worker-1",
          type: "worker",
          flooded: { [TOPIC]: { attempts: z.published, refused: 0, xpubDrops: z.xpubDrops } },
          xpubDrops: z.xpubDrops,
          onloopDrops: z.onloopDrops,
          received: { [`worker-2 ${TOPIC}`]: { consumed: z.consumed, gaps: z.gaps, disorder: z.disorder } },
        },
        {
          name: "worker-2",
          type: "worker",
          flooded,
          xpubDrops: zmqc("worker-2").stats.xpubDrops as number,
          onloopDrops: zmqc("worker-2").stats.onloopDrops as number,
          received: zmqc("worker-2").received,
        },
      ];
    };
    await waitUntil(
      "every delivery consumed or counted",
      async () => {
        for (const node of [manager, worker2]) stats.set(node.name, await node.stats());
        return overloadLedger(ledgerNodes()).balanced;
      },
      { ms: 30_000, describe: () => ({ ledger: overloadLedger(ledgerNodes()), zeek: zeek.last("stats") }) },
    );
    const totals = overloadLedger(ledgerNodes());
    const z = zeekStats(zeek.last("stats"));
    const w2 = (stats.get("worker-2") as LoadStats).stats;

    // Nothing locked up: Zeek answers the zmqc nodes, and the zmqc nodes each other.
    await manager.probe("worker-1", 1);
    await worker2.probe("worker-1", 2);
    await manager.probe("worker-2", 3);

    const ledger = writeLedger({
      scenario: "mixed-zeek-overload",
      title:
        "Zeek's overload-worker-proxy-topic-drop in a mixed cluster: a real Zeek worker and a zmqc worker flood the worker topic (HWMs 100/50, onloop queue 50)",
      proves:
        "Zeek and zmqc agree on overload: each counts its drops at its XPUB's HWM when sending (Zeek's zeek_cluster_zeromq_xpub_drops_total, zmqc's xpubDrops) and at its full onloop queue when receiving (zeek_cluster_zeromq_onloop_drops_total, onloopDrops); nothing locks up (Zeek answers probes from both zmqc nodes); and one ledger over both implementations balances.",
      unit: "deliveries (event × subscribed peer)",
      sent: totals.sent,
      received: totals.received,
      dropped: {
        publishQueueDrops: totals.publishQueueDrops,
        xpubDrops: totals.xpubDrops,
        onloopDrops: totals.onloopDrops,
      },
      figures: {
        zeek: zeek.version,
        pingsPerWorker: COUNT,
        "Zeek worker-1: xpub_drops": z.xpubDrops,
        "Zeek worker-1: onloop_drops": z.onloopDrops,
        "Zeek worker-1: gaps from worker-2": z.gaps,
        "zmqc worker-2: xpubDrops": w2.xpubDrops as number,
        "zmqc worker-2: onloopDrops": w2.onloopDrops as number,
        "zmqc worker-2: gaps from worker-1": totals.gaps - z.gaps,
        outOfOrderOrTwice: totals.disorder,
        zeekDiscoveryProblems: zeek.problems().length,
        probesAnswered: 3,
      },
      unexpectedExits: [
        ...[manager, worker2].filter((node) => !node.json.child.running()).map((node) => node.name),
        ...(zeek.zeek.running() ? [] : ["Zeek worker-1"]),
        ...(broker.running() ? [] : ["broker"]),
      ],
    });
    expect(ledger.balanced, JSON.stringify(totals)).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(totals.disorder).toBe(0);
    expect(zeek.problems()).toEqual([]);
    // Agree in kind: the same counters move on both sides.
    expect({ zeek: z.xpubDrops > 0, zmqc: (w2.xpubDrops as number) > 0 }).toEqual({ zeek: true, zmqc: true });
    expect({ zeek: z.onloopDrops > 0, zmqc: (w2.onloopDrops as number) > 0 }).toEqual({
      zeek: true,
      zmqc: true,
    });
  }, 120_000);
});
