// Zeek's overload scenarios (testing/btest/cluster/zeromq/overload-*.zeek; notes §4.3, §7) with every node in its
// own process: a broker (spawnBroker) and four load nodes (src/children/load-node.ts). The proxy and the workers
// flood, 500 events per turn of their event loop, either the manager's topic (overload-drop, overload-no-drop) or
// the worker and proxy topics, where every flooding node is also a receiver (the worker-proxy-topic variants).
// Every node consumes pings slowly, one per turn, as Zeek's busy main loop behind its I/O thread.
//
// With small HWMs (Zeek's: XPUB 100, XSUB 50, onloop queue 50) drops are counted where Zeek counts them: at the
// sender's XPUB (xpubDrops) and at the receiver's full queue (onloopDrops). Nothing locks up: after the flood every
// node still answers a probe. The ledger, in deliveries (each event owed once to every other node subscribed to its
// topic): sent = consumed + publishQueueDrops + xpubDrops + onloopDrops, exactly — the broker's XPUB is NODROP, so
// nothing is lost uncounted in between. With HWM 0 and publishWhenReady (Zeek's blocking Cluster::publish) nothing
// is dropped and every event arrives, in order.
import { spawnBroker } from "@zmqc/broker/testing";
import { TYPE_TOPICS } from "@zmqc/pubsub";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { writeLedger } from "../src/ledger.js";
import {
  fullMesh,
  type LedgerNode,
  type LoadNode,
  type LoadStats,
  overloadLedger,
  receiversOf,
  startLoadNode,
} from "../src/load.js";
import { waitUntil } from "../src/wait.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const NODES = { manager: "manager", proxy: "proxy", "worker-1": "worker", "worker-2": "worker" } as const;
const FLOODERS = ["proxy", "worker-1", "worker-2"] as const;
/** Zeek's overload-worker-proxy-topic-drop: batch 500, XPUB HWM batch/5, XSUB HWM and onloop queue batch/10. */
const DROP_OPTIONS = { xpubSndhwm: 100, xsubRcvhwm: 50, onloopQueueHwm: 50 };
/** Zeek's overload-no-drop: every HWM 0 (no limit), and publishing blocks instead. */
const NO_DROP_OPTIONS = { xpubSndhwm: 0, xsubRcvhwm: 0, onloopQueueHwm: 0 };

interface Variant {
  readonly scenario: string;
  readonly title: string;
  readonly proves: string;
  /** The topics every flooding node publishes each ping to. */
  readonly topics: readonly string[];
  readonly drop: boolean;
  /** Pings per flooding node and topic. */
  readonly count: number;
}

const MANAGER_TOPIC = [TYPE_TOPICS.manager];
const WORKER_PROXY_TOPICS = [TYPE_TOPICS.worker, TYPE_TOPICS.proxy];

const VARIANTS: readonly Variant[] = [
  {
    scenario: "overload-drop",
    title:
      "Zeek's overload-drop: the proxy and both workers flood the manager (HWMs 100/50, onloop queue 50)",
    proves:
      "Under a flood from every node nothing locks up and nothing is lost uncounted: the senders count their drops at the XPUB's HWM (xpubDrops), the manager counts its drops at its full queue (onloopDrops) and sees gaps from every sender, the senders drop nothing on receipt, and afterwards every node answers a probe.",
    topics: MANAGER_TOPIC,
    drop: true,
    count: 20_000,
  },
  {
    scenario: "overload-no-drop",
    title: "Zeek's overload-no-drop: the same flood with every HWM 0 and blocking publishes",
    proves:
      "With HWMs 0 (xpubSndhwm, xsubRcvhwm, onloopQueueHwm) and publishWhenReady (Zeek's Cluster::publish blocks) nothing is dropped anywhere: every event reaches the manager, in order, without a gap.",
    topics: MANAGER_TOPIC,
    drop: false,
    count: 10_000,
  },
  {
    scenario: "overload-worker-proxy-topic-drop",
    title:
      "Zeek's overload-worker-proxy-topic-drop: the proxy and both workers flood the worker and proxy topics (HWMs 100/50, onloop queue 50)",
    proves:
      "When every flooding node is also a receiver (each ping owed to every other worker or proxy), each counts its own XPUB drops and its own onloop drops, sees gaps from every peer, nothing locks up, and the ledger balances in deliveries.",
    topics: WORKER_PROXY_TOPICS,
    drop: true,
    count: 10_000,
  },
  {
    scenario: "overload-worker-proxy-topic-no-drop",
    title:
      "Zeek's overload-worker-proxy-topic-no-drop: the same broadcast flood with every HWM 0 and blocking publishes",
    proves:
      "With HWMs 0 and blocking publishes a broadcast flood in which every node is sender and receiver at once neither drops nor locks up: every delivery arrives, in order.",
    topics: WORKER_PROXY_TOPICS,
    drop: false,
    count: 5000,
  },
];

/** The ledger's view of the nodes, from their last stats and what each flood did. */
function ledgerNodes(
  nodes: readonly LoadNode[],
  stats: ReadonlyMap<string, LoadStats>,
  flooded: ReadonlyMap<string, Record<string, { attempts: number; refused: number; xpubDrops: number }>>,
): LedgerNode[] {
  return nodes.map((node) => {
    const s = stats.get(node.name) as LoadStats;
    return {
      name: node.name,
      type: node.type,
      flooded: flooded.get(node.name) ?? {},
      xpubDrops: s.stats.xpubDrops as number,
      onloopDrops: s.stats.onloopDrops as number,
      received: s.received,
    };
  });
}

describe("overload (Zeek's overload scenarios, every node a process)", () => {
  for (const variant of VARIANTS)
    it(`${variant.scenario}: nothing locks up, drops are counted where Zeek counts them, the ledger balances`, async () => {
      const broker = cleanup.add(await spawnBroker(), (b) => b.close());
      const options = variant.drop ? DROP_OPTIONS : NO_DROP_OPTIONS;
      const nodes = await Promise.all(
        Object.keys(NODES).map((name) =>
          startLoadNode(cleanup, { broker, nodes: NODES, name, options }, { hardTimeoutMs: 120_000 }),
        ),
      );
      const byName = new Map(nodes.map((node) => [node.name, node]));
      await fullMesh(nodes);

      const flooders = FLOODERS.map((name) => byName.get(name) as LoadNode);
      const floods = await Promise.all(
        flooders.map((node) => node.flood(variant.topics, variant.count, { blocking: !variant.drop })),
      );
      const flooded = new Map(flooders.map((node, i) => [node.name, floods[i] as (typeof floods)[number]]));

      // Quiescence: the slow consumers have caught up and every delivery is consumed or counted as dropped.
      const stats = new Map<string, LoadStats>();
      const poll = async () => {
        for (const node of nodes) stats.set(node.name, await node.stats());
        return overloadLedger(ledgerNodes(nodes, stats, flooded));
      };
      await waitUntil(
        "every delivery consumed or counted",
        async () => {
          const ledger = await poll();
          const idle = [...stats.values()].every(
            (s) => s.stats.pendingEvents === 0 && s.stats.pendingPublishes === 0,
          );
          return (
            idle &&
            ledger.received + ledger.publishQueueDrops + ledger.xpubDrops + ledger.onloopDrops >= ledger.sent
          );
        },
        { ms: 60_000, describe: () => overloadLedger(ledgerNodes(nodes, stats, flooded)) },
      );
      const totals = overloadLedger(ledgerNodes(nodes, stats, flooded));

      // Nothing locked up: the manager and every flooding node still talk, both ways.
      let probes = 0;
      for (const node of flooders) {
        await (byName.get("manager") as LoadNode).probe(node.name, ++probes);
        await node.probe("manager", ++probes);
      }

      const s = (name: string) => (stats.get(name) as LoadStats).stats;
      const receivers = nodes.filter((node) =>
        flooders.some((sender) =>
          variant.topics.some((topic) => receiversOf(nodes, topic, sender.name).includes(node)),
        ),
      );
      // Gaps per (sender, receiver): Zeek's "node X dropped=T".
      const gapsSeen = receivers.flatMap((receiver) =>
        Object.entries((stats.get(receiver.name) as LoadStats).received).map(([key, r]) => ({
          at: receiver.name,
          from: key,
          gaps: r.gaps,
        })),
      );
      const ledger = writeLedger({
        scenario: variant.scenario,
        title: variant.title,
        proves: variant.proves,
        unit: "deliveries (event × subscribed peer)",
        sent: totals.sent,
        received: totals.received,
        dropped: {
          publishQueueDrops: totals.publishQueueDrops,
          xpubDrops: totals.xpubDrops,
          onloopDrops: totals.onloopDrops,
        },
        figures: {
          processes: nodes.length + 1,
          eventsPublishedPerNodeAndTopic: variant.count,
          topics: variant.topics.join(", "),
          xpubSndhwm: options.xpubSndhwm,
          xsubRcvhwm: options.xsubRcvhwm,
          onloopQueueHwm: options.onloopQueueHwm,
          xpubDropsAtSenders: flooders.map((node) => `${node.name} ${s(node.name).xpubDrops}`).join(", "),
          onloopDropsAtReceivers: receivers
            .map((node) => `${node.name} ${s(node.name).onloopDrops}`)
            .join(", "),
          gapsSeen: totals.gaps,
          pairsWithGaps: `${gapsSeen.filter((g) => g.gaps > 0).length} of ${gapsSeen.length}`,
          outOfOrderOrTwice: totals.disorder,
          probesAnswered: probes,
        },
        unexpectedExits: [
          ...nodes.filter((node) => !node.json.child.running()).map((node) => node.name),
          ...(broker.running() ? [] : ["broker"]),
        ],
      });
      expect(ledger.balanced, JSON.stringify(totals)).toBe(true);
      expect(ledger.unexpectedExits).toEqual([]);
      expect(totals.disorder).toBe(0);
      for (const node of nodes)
        expect(s(node.name), node.name).toMatchObject({
          msgErrors: 0,
          formatErrors: 0,
          decodeErrors: 0,
          typeErrors: 0,
          internalErrors: 0,
          closeDrops: 0,
        });
      if (variant.drop) {
        // Where Zeek counts them: onloop drops at every receiver, with gaps from every sender…
        for (const node of receivers) expect(s(node.name).onloopDrops, node.name).toBeGreaterThan(0);
        expect(gapsSeen.filter((g) => g.gaps === 0)).toEqual([]);
        // …and none on receipt at a node that receives nothing (Zeek's senders: "had onloop_drops?, F").
        for (const node of nodes.filter((n) => !receivers.includes(n)))
          expect(s(node.name).onloopDrops).toBe(0);
        expect(totals.xpubDrops).toBeGreaterThan(0);
      } else {
        expect({ ...ledger.dropped }).toEqual({ publishQueueDrops: 0, xpubDrops: 0, onloopDrops: 0 });
        expect(totals.received).toBe(totals.sent);
        expect(totals.gaps).toBe(0);
      }
    }, 120_000);
});
