// Connection faults between a node and the broker, through a fault-injection TCP relay on each of the node's two
// connections: delay, stall, cut every connection, cut one in the middle of a frame. The node publishes numbered
// events to another node (connected directly) all along. No process crashes, the node reconnects by itself, and
// the ledger balances: every event is received, counted as dropped, or measured as lost in a cut connection.
import { startTestBroker } from "@zmqc/broker/testing";
import { type ClusterNode, defineEvent, type NodeStatus } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { stoppedOnTheirOwn } from "../src/alive.js";
import { GOOD_EVENT } from "../src/hostile.js";
import { writeLedger } from "../src/ledger.js";
import { nodeOn } from "../src/node.js";
import { publishNumbered, sequenceReport } from "../src/numbered.js";
import { startRelay } from "../src/relay.js";
import { waitUntil } from "../src/wait.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const TOPIC = "reliability.relay.";
const good = defineEvent(GOOD_EVENT, ["count"]);
/** At most this many events, whatever happens. */
const MAX_EVENTS = 60_000;

/** Records a node's status updates (connects, disconnects, errors) as they come. */
function recordStatus(node: ClusterNode): NodeStatus[] {
  const seen: NodeStatus[] = [];
  void (async () => {
    for await (const status of node.status()) seen.push(status);
  })();
  return seen;
}

describe("connection faults through a relay", () => {
  it("delay, stall, cut and cut mid-frame between a node and the broker: no crash, reconnection, the ledger balances", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    // The publisher's XPUB goes to the broker's XSUB through one relay, its XSUB to the broker's XPUB through another.
    const toXsub = cleanup.add(await startRelay(broker.xsubEndpoint), (r) => r.close());
    const toXpub = cleanup.add(await startRelay(broker.xpubEndpoint), (r) => r.close());
    const receiver = await nodeOn(cleanup, "receiver", broker);
    const publisher = await nodeOn(cleanup, "publisher", {
      xsubEndpoint: toXsub.endpoint,
      xpubEndpoint: toXpub.endpoint,
    });
    const statuses = recordStatus(publisher);
    const received: number[] = [];
    receiver.on(good, ([seq]) => received.push(Number(seq.value)));
    await receiver.subscribe(TOPIC);
    await publisher.ready();
    await waitUntil("the publisher sees the receiver's subscription", () =>
      publisher.remoteSubscriptions().has(TOPIC),
    );

    const numbered = publishNumbered(
      (seq) => publisher.publish(`${TOPIC}x`, good.make(Value.count(seq))),
      MAX_EVENTS,
    );
    /** Waits until events published from now on arrive (`count` of them past the current sequence number). */
    const flowing = async (what: string, count = 500) => {
      const from = numbered.published;
      await waitUntil(`events flow ${what}`, () => (received.at(-1) ?? -1) >= from + count, {
        ms: 15_000,
        describe: () => ({
          from,
          last: received.at(-1),
          published: numbered.published,
          stats: publisher.stats(),
          relay: [toXsub.stats(), toXpub.stats()],
        }),
      });
    };
    const disconnects = () => statuses.filter((s) => s.type === "disconnected").length;

    await flowing("at first");
    // 1. Delay: 30 ms each way on both connections.
    toXsub.delay(30);
    toXpub.delay(30);
    await flowing("with a delay");
    toXsub.delay(0);
    toXpub.delay(0);
    // 2. Stall the publisher's XPUB connection: its queue fills to the HWM and further events are counted as
    //    xpubDrops; then resume.
    const dropsBefore = publisher.stats().xpubDrops;
    toXsub.stall();
    await waitUntil("xpub drops during the stall", () => publisher.stats().xpubDrops > dropsBefore, {
      ms: 15_000,
    });
    toXsub.resume();
    await flowing("after the stall");
    // 3. Cut both connections: the publisher reconnects (through the relays) and re-sends its subscriptions.
    const cutsBefore = disconnects();
    const cut = toXsub.cut() + toXpub.cut();
    await waitUntil("the publisher sees the cuts", () => disconnects() >= cutsBefore + 2, { ms: 5000 });
    await flowing("after the cut");
    // 4. Cut the XPUB connection in the middle of what it sends (a frame torn in two).
    await toXsub.cutMidFrame();
    await flowing("after the mid-frame cut");

    await numbered.stop();
    const published = numbered.published;
    await waitUntil("the last event", () => received.at(-1) === published - 1, {
      ms: 10_000,
      describe: () => ({ last: received.at(-1), published, stats: publisher.stats() }),
    });

    const stats = publisher.stats();
    const { unique, duplicates, inOrder } = sequenceReport(received, published);
    const lost = published - unique - stats.publishQueueDrops - stats.xpubDrops - stats.reconnectDrops;
    const relayStats = [toXsub.stats(), toXpub.stats()];
    const ledger = writeLedger({
      scenario: "relay-faults",
      title: "Delay, stall, cut and mid-frame cut between a node and the broker (fault-injection TCP relay)",
      proves:
        "A node whose connections to the broker are delayed, stalled, cut, or cut in the middle of a frame never crashes, reconnects by itself and resumes delivery; events arrive in order and never twice; a stall costs counted xpubDrops; after a cut, events wait for their subscriber (reconnectHoldMs) or are counted as reconnectDrops; what a cut connection held is measured (lostInCuts), nothing else goes missing.",
      unit: "events",
      sent: published,
      received: unique,
      dropped: {
        publishQueueDrops: stats.publishQueueDrops,
        xpubDrops: stats.xpubDrops,
        reconnectDrops: stats.reconnectDrops,
        lostInCuts: lost,
      },
      measured: ["lostInCuts"],
      figures: {
        connectionsCut: cut,
        midFrameCuts: relayStats.reduce((sum, s) => sum + s.midFrameCuts, 0),
        relayConnections: relayStats.reduce((sum, s) => sum + s.connections, 0),
        publisherDisconnects: disconnects(),
        duplicates,
        inOrder,
        receiverDecodeErrors: receiver.stats().decodeErrors,
        receiverMsgErrors: receiver.stats().msgErrors,
        publisherInternalErrors: stats.internalErrors,
      },
      unexpectedExits: await stoppedOnTheirOwn({ broker, receiver, publisher }),
    });
    expect(ledger.balanced).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(numbered.refused).toBe(stats.publishQueueDrops);
    expect(duplicates).toBe(0);
    expect(inOrder).toBe(true);
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(stats.internalErrors + receiver.stats().internalErrors).toBe(0);
    // A torn frame never reaches the receiver as a message: libzmq discards the partial frame with the connection.
    expect(receiver.stats().msgErrors + receiver.stats().decodeErrors).toBe(0);
  });
});
