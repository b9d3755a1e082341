// A frozen subscriber under a flood (no liveness check): worker-2 is stopped with SIGSTOP, so its TCP connection
// stays open and nothing it subscribes to can reach it, while the proxy floods the worker topic (worker-1 and
// worker-2 subscribe). The broker's XPUB is NODROP (Zeek's listen_xpub_nodrop): libzmq refuses a message while
// any subscriber it matches is at its HWM. Zeek's proxy thread runs zmq_proxy(), whose send then blocks, and the
// notes (§4.3, open question 2) derive, untested, that the whole proxy stalls: traffic between nodes that have
// nothing to do with the frozen one stops too. The native broker is that proxy; the managed one waits a bounded
// time (stuckSubscriber.maxWaitMs) for the stuck subscriber, then drops what it matches and counts it
// (droppedStuckSubscriber), so the rest of the cluster keeps talking.
//
// The broker runs in this process (its counters are read directly), every node in its own. After SIGCONT the
// ledger, in deliveries to worker-1 and worker-2, balances: consumed + xpubDrops + onloopDrops + what the broker
// dropped for the stuck subscriber (a NODROP drop reaches none of the message's subscribers: counted for both).
import { startTestBroker } from "@zmqc/broker/testing";
import { TYPE_TOPICS } from "@zmqc/pubsub";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { stoppedOnTheirOwn } from "../src/alive.js";
import { writeLedger } from "../src/ledger.js";
import { fullMesh, type LoadNode, type LoadStats, overloadLedger, startLoadNode } from "../src/load.js";
import { waitUntil } from "../src/wait.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const NODES = { manager: "manager", proxy: "proxy", "worker-1": "worker", "worker-2": "worker" } as const;
const TOPIC = TYPE_TOPICS.worker;
/** Enough to fill what stands between the broker and the frozen node: its XPUB pipe (HWM 1000) and TCP buffers. */
const COUNT = 150_000;
/** The frozen node's receive side, kept small so the flood fills it quickly. */
const FROZEN_OPTIONS = { xsubRcvhwm: 50, xsubRcvbuf: 8192 };
const STUCK_WAIT_MS = 500;

/** How long the manager's probe of worker-1 may take while worker-2 is frozen. */
const PROBE_MS = 5000;

async function scenario(mode: "native" | "managed") {
  const broker = cleanup.add(
    await startTestBroker({ mode, stuckSubscriber: { maxWaitMs: STUCK_WAIT_MS } }),
    (b) => b.close(),
  );
  const nodes = await Promise.all(
    Object.keys(NODES).map((name) =>
      startLoadNode(
        cleanup,
        { broker, nodes: NODES, name, ...(name === "worker-2" ? { options: FROZEN_OPTIONS } : {}) },
        { hardTimeoutMs: 120_000 },
      ),
    ),
  );
  const byName = (name: string) => nodes.find((node) => node.name === name) as LoadNode;
  cleanup.add(byName("worker-2"), (node) => node.json.child.kill("SIGCONT"));
  await fullMesh(nodes);

  byName("worker-2").json.child.kill("SIGSTOP");
  const flooded = await byName("proxy").flood([TOPIC], COUNT);
  // While worker-2 is still frozen: do the manager and worker-1, which have nothing to do with it, still talk?
  let probeWhileFrozen: string | undefined;
  try {
    await byName("manager").probe("worker-1", 1, PROBE_MS);
  } catch (error) {
    probeWhileFrozen = (error as Error).message;
  }
  const brokerWhileFrozen = broker.stats();
  byName("worker-2").json.child.kill("SIGCONT");

  const stats = new Map<string, LoadStats>();
  const ledgerNodes = () =>
    nodes.map((node) => {
      const s = stats.get(node.name) as LoadStats;
      return {
        name: node.name,
        type: node.type,
        flooded: node.name === "proxy" ? flooded : {},
        xpubDrops: s.stats.xpubDrops as number,
        onloopDrops: s.stats.onloopDrops as number,
        received: s.received,
      };
    });
  const stuckDrops = () => Number(broker.stats().droppedStuckSubscriber);
  // Each message the broker dropped was owed to both workers.
  const balanced = () => {
    const l = overloadLedger(ledgerNodes());
    return l.sent === l.received + l.publishQueueDrops + l.xpubDrops + l.onloopDrops + 2 * stuckDrops();
  };
  await waitUntil(
    "every delivery consumed or counted after the thaw",
    async () => {
      for (const node of nodes) stats.set(node.name, await node.stats());
      return balanced();
    },
    { ms: 60_000, describe: () => ({ ledger: overloadLedger(ledgerNodes()), stuckDrops: stuckDrops() }) },
  );
  // After the thaw, the manager and worker-1 talk again in any case.
  await byName("manager").probe("worker-1", 2);
  const totals = overloadLedger(ledgerNodes());
  const exits = [
    ...nodes.filter((node) => !node.json.child.running()).map((node) => node.name),
    ...(await stoppedOnTheirOwn({ broker })),
  ];
  return { totals, stuckDrops: stuckDrops(), probeWhileFrozen, brokerWhileFrozen, exits, stats };
}

describe("a frozen subscriber under a flood (no liveness check)", () => {
  it("managed broker: the rest of the cluster keeps talking while a subscriber is frozen; what the stuck subscriber matched is dropped and counted, and the ledger balances", async () => {
    const r = await scenario("managed");
    const ledger = writeLedger({
      scenario: "stuck-subscriber-managed",
      title:
        "A subscriber frozen with SIGSTOP (no liveness) while the proxy floods its topic, under the managed broker",
      proves: `The managed broker waits ${STUCK_WAIT_MS} ms for a subscriber stuck at its HWM, then drops what it matches and counts it (droppedStuckSubscriber, owed to every subscriber of the message: NODROP is all or nothing), so two nodes that have nothing to do with the frozen one keep talking while it is frozen; after SIGCONT every delivery is consumed or counted.`,
      unit: "deliveries (event × subscribed peer)",
      sent: r.totals.sent,
      received: r.totals.received,
      dropped: {
        publishQueueDrops: r.totals.publishQueueDrops,
        xpubDrops: r.totals.xpubDrops,
        onloopDrops: r.totals.onloopDrops,
        droppedStuckSubscriber: 2 * r.stuckDrops,
      },
      figures: {
        eventsFlooded: COUNT,
        stuckSubscriberMaxWaitMs: STUCK_WAIT_MS,
        brokerDroppedStuckSubscriberMessages: r.stuckDrops,
        probeAnsweredWhileFrozen: r.probeWhileFrozen === undefined,
        outOfOrderOrTwice: r.totals.disorder,
      },
      unexpectedExits: r.exits,
    });
    expect(ledger.balanced, JSON.stringify(r.totals)).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(r.totals.disorder).toBe(0);
    expect(r.probeWhileFrozen).toBeUndefined();
    expect(r.stuckDrops).toBeGreaterThan(0);
  }, 120_000);

  let native: Awaited<ReturnType<typeof scenario>> | undefined;
  it("native broker: after the thaw every delivery is consumed or counted, the ledger balances", async () => {
    native = await scenario("native");
    const ledger = writeLedger({
      scenario: "stuck-subscriber-native",
      title:
        "A subscriber frozen with SIGSTOP (no liveness) while the proxy floods its topic, under the native broker (Zeek's zmq_proxy)",
      proves:
        "Nothing is lost uncounted: after SIGCONT every delivery is consumed or counted (xpubDrops at the proxy, onloopDrops at the workers). Not so: the rest of the cluster keeps talking while the subscriber is frozen (see the finding).",
      unit: "deliveries (event × subscribed peer)",
      sent: native.totals.sent,
      received: native.totals.received,
      dropped: {
        publishQueueDrops: native.totals.publishQueueDrops,
        xpubDrops: native.totals.xpubDrops,
        onloopDrops: native.totals.onloopDrops,
      },
      findings: [
        "A limit shared with Zeek's proxy thread (zmq_proxy with a NODROP XPUB): a subscriber that stops reading while its TCP connection stays open blocks the broker's send once it is at its HWM, and with it every message between every other pair of nodes, until it reads again or its connection drops (the notes' open question 2, now seen: the manager's probe of worker-1 went unanswered while worker-2 was frozen). The liveness option (heartbeats drop the frozen connection) or the managed broker avoids it.",
      ],
      figures: {
        eventsFlooded: COUNT,
        probeAnsweredWhileFrozen: native.probeWhileFrozen === undefined,
        outOfOrderOrTwice: native.totals.disorder,
      },
      unexpectedExits: native.exits,
    });
    expect(ledger.balanced, JSON.stringify(native.totals)).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(native.totals.disorder).toBe(0);
  }, 120_000);

  // A limit of the design shared with Zeek, not a bug to fix here (see the finding above): the native broker is
  // zmq_proxy() with a NODROP XPUB, as Zeek's proxy thread, and its send blocks on the frozen subscriber.
  it.fails("native broker: the rest of the cluster keeps talking while a subscriber is frozen", () => {
    expect(native, "the scenario above ran").toBeDefined();
    expect(native?.probeWhileFrozen).toBeUndefined();
  });
});
