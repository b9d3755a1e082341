// The broker, in its own process, killed with SIGKILL mid-traffic and restarted on the same ports. The nodes (here,
// joinCluster in this process) must reconnect by themselves and re-send their subscriptions; traffic resumes; no
// node_down is raised for any peer (Zeek's semantics: a broker restart sends no unsubscriptions); and the ledger
// balances: every event published is received, counted as dropped, or measured as lost with the killed broker.
import { spawnBroker } from "@zmqc/broker/testing";
import { resolveCluster } from "@zmqc/config";
import { type Cluster, type ClusterEvent, defineEvent, joinCluster } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { Cleanup, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { stoppedOnTheirOwn } from "../src/alive.js";
import { GOOD_EVENT } from "../src/hostile.js";
import { writeLedger } from "../src/ledger.js";
import { publishNumbered, sequenceReport } from "../src/numbered.js";
import { waitUntil } from "../src/wait.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const NODES = { manager: "manager", "worker-1": "worker", "worker-2": "worker" } as const;
type Name = keyof typeof NODES;
const NAMES = Object.keys(NODES) as Name[];
/** At most this many events, whatever happens (the publisher stops earlier, once traffic has resumed). */
const MAX_EVENTS = 60_000;
const good = defineEvent(GOOD_EVENT, ["count"]);

describe("broker restart", () => {
  // Found by this suite (as in Zeek: the same sockets): what a node queued while the broker was down (up to its
  // XPUB's HWM) was mostly lost without a count. When the broker came back, the publisher's XPUB reconnected and
  // flushed its queue at once, before the subscribers' XSUBs had reconnected and re-sent their subscriptions there,
  // and the broker's XPUB discarded what nobody subscribed to (up to 1,213 events in one run). Fixed in pubsub
  // (reconnectHoldMs): from the XPUB's disconnect on, events wait in the publish queue until their subscriber is
  // back, or are dropped and counted (reconnectDrops). What is still lost uncounted is only what was handed to
  // ZeroMQ before the node noticed the broker was gone: inside the killed broker, or in flight to it.
  for (const mode of ["native", "managed"] as const)
    it(`${mode}: killed with SIGKILL mid-traffic and restarted on the same ports: nodes reconnect, traffic resumes, no node_down, the ledger balances`, async () => {
      const [xpubPort, xsubPort] = await reservePorts(2);
      const endpoints = { xpub: `tcp://127.0.0.1:${xpubPort}`, xsub: `tcp://127.0.0.1:${xsubPort}` };
      const startBrokerProcess = async () =>
        cleanup.add(
          await spawnBroker({ mode, listenXpubEndpoint: endpoints.xpub, listenXsubEndpoint: endpoints.xsub }),
          (b) => b.close(),
        );
      let broker = await startBrokerProcess();

      const layout = resolveCluster({
        nodes: Object.fromEntries(NAMES.map((name) => [name, { type: NODES[name], ip: "127.0.0.1" }])),
      });
      const events: { node: Name; event: ClusterEvent }[] = [];
      const clusters = new Map<Name, Cluster>();
      for (const name of NAMES) {
        const cluster = cleanup.add(
          await joinCluster({
            layout,
            name,
            connectXpubEndpoint: endpoints.xsub,
            connectXsubEndpoint: endpoints.xpub,
            lingerMs: 0,
            log: () => {},
          }),
          (c) => c.close(),
        );
        cluster.on((event) => events.push({ node: name, event }));
        clusters.set(name, cluster);
      }
      const cluster = (name: Name) => clusters.get(name) as Cluster;
      const ups = () => events.filter(({ event }) => event.type === "node_up").length;
      await waitUntil("the full mesh", () => ups() === NAMES.length * (NAMES.length - 1), {
        describe: () => events.map(({ node, event }) => `${node}: ${event.type}`),
      });

      // worker-1 publishes numbered events to the manager all along; the manager records them.
      const received: number[] = [];
      cluster("manager").node.on(good, ([seq]) => received.push(Number(seq.value)));
      const publisher = cluster("worker-1").node;
      const numbered = publishNumbered(
        (seq) => publisher.publish("zeek.cluster.manager", good.make(Value.count(seq))),
        MAX_EVENTS,
      );

      await waitUntil("traffic before the fault", () => received.length >= 2000, { ms: 15_000 });
      // The sequence number of the first event published after the publisher's XPUB noticed the broker was gone.
      let noticedAt = -1;
      // The drops counted by then: what is counted after it is all the scenario may set against later losses.
      let countedAtNotice = 0;
      const noticed = (async () => {
        for await (const status of publisher.status())
          if (status.type === "disconnected" && status.socket === "xpub") {
            noticedAt = numbered.published;
            const atNotice = publisher.stats();
            countedAtNotice = atNotice.publishQueueDrops + atNotice.xpubDrops + atNotice.reconnectDrops;
            return;
          }
      })();
      broker.kill("SIGKILL");
      expect((await broker.exited).signal).toBe("SIGKILL");
      const publishedAtKill = numbered.published;
      await waitUntil("the publisher's XPUB notices", () => noticedAt >= 0, { ms: 10_000 });
      await noticed;
      broker = await startBrokerProcess();
      // Traffic resumes: events published after the restart arrive.
      const afterRestart = numbered.published;
      await waitUntil("traffic after the restart", () => (received.at(-1) ?? -1) >= afterRestart + 2000, {
        ms: 15_000,
        describe: () => ({
          received: received.length,
          last: received.at(-1),
          published: numbered.published,
          stats: publisher.stats(),
        }),
      });
      await numbered.stop();
      const published = numbered.published;
      // The last event is the last to arrive, on the one path from worker-1 to the manager.
      await waitUntil("the last event", () => received.at(-1) === published - 1, {
        ms: 10_000,
        describe: () => ({
          received: received.length,
          last: received.at(-1),
          published,
          stats: publisher.stats(),
        }),
      });

      const stats = publisher.stats();
      const { unique, duplicates, inOrder, missing } = sequenceReport(received, published);
      const counted = stats.publishQueueDrops + stats.xpubDrops + stats.reconnectDrops;
      const lostWithBroker = published - unique - counted;
      const missingAfterNoticed = missing.filter((seq) => seq >= noticedAt).length;
      const downs = events.filter(({ event }) => event.type === "node_down");
      const problems = events.filter(({ event }) => event.type === "warning" || event.type === "error");
      const ledger = writeLedger({
        scenario: `broker-restart-${mode}`,
        title: `The ${mode} broker killed with SIGKILL mid-traffic and restarted on the same ports`,
        proves:
          "Nodes reconnect and re-send their subscriptions by themselves, traffic resumes, no node_down is raised for any peer, events arrive in order and never twice; every event published is received, counted as dropped (publishQueueDrops, xpubDrops, reconnectDrops), or lost with the killed broker process (measured: only events handed to ZeroMQ before the publisher noticed the broker was gone). Events published while the broker is away wait in the publish queue until their subscriber is back through the new broker (reconnectHoldMs).",
        unit: "events",
        sent: published,
        received: unique,
        dropped: {
          publishQueueDrops: stats.publishQueueDrops,
          xpubDrops: stats.xpubDrops,
          reconnectDrops: stats.reconnectDrops,
          lostWithBrokerRestart: lostWithBroker,
        },
        measured: ["lostWithBrokerRestart"],
        figures: {
          publishedBeforeKill: publishedAtKill,
          publishedBeforeThePublisherNoticed: noticedAt,
          missingPublishedAfterThePublisherNoticed: missingAfterNoticed,
          droppedAfterThePublisherNoticed: counted - countedAtNotice,
          publishedBeforeRestartDone: afterRestart,
          missingPublishedBeforeKill: missing.filter((seq) => seq < publishedAtKill).length,
          missingPublishedDuringOutage: missing.filter((seq) => seq >= publishedAtKill && seq < afterRestart)
            .length,
          missingPublishedAfterRestart: missing.filter((seq) => seq >= afterRestart).length,
          duplicates,
          inOrder,
          nodeDownEvents: downs.length,
          warnings: problems.length,
        },
        unexpectedExits: [
          ...(await stoppedOnTheirOwn(Object.fromEntries(clusters))),
          ...(broker.running() ? [] : ["broker (restarted)"]),
        ],
      });
      expect(ledger.balanced).toBe(true);
      expect(ledger.unexpectedExits).toEqual([]);
      expect(numbered.refused).toBe(stats.publishQueueDrops);
      expect(duplicates).toBe(0);
      expect(inOrder).toBe(true);
      expect(lostWithBroker).toBeGreaterThanOrEqual(0);
      // Everything published once the publisher knew the broker was gone is received or counted: the uncounted loss
      // is all from before (handed to ZeroMQ, then lost in or on the way to the killed broker).
      expect(missingAfterNoticed).toBeLessThanOrEqual(counted - countedAtNotice);
      expect(downs.map(({ node, event }) => `${node}: ${JSON.stringify(event)}`)).toEqual([]);
      // Every node is still up on every other.
      for (const name of NAMES)
        for (const member of cluster(name).members())
          expect(member.up, `${member.name} on ${name}`).toBe(true);
    });
});
