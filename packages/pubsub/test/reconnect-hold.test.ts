// Events published across a broker restart: kept back from the XPUB's disconnect until their subscriber is back
// through the new broker (reconnectHoldMs), so they are delivered, or dropped and counted (reconnectDrops) when the
// subscriber does not come back in time. Real sockets; the broker is stopped and started again on the same ports.
import { type Broker, startBroker } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { type ClusterNode, defineEvent, type NodeStatus } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { nodeOn, until, within } from "./support.js";

const numbered = defineEvent("Test::numbered", ["count"]);

/** Resolves at the first status of the node that `match` accepts. */
async function statusOf(node: ClusterNode, match: (status: NodeStatus) => boolean): Promise<NodeStatus> {
  for await (const status of node.status()) if (match(status)) return status;
  throw new Error("the node closed first");
}

/** The hold's status events of the node from now on, as "started" / "ended <reason>". */
function holdPhases(node: ClusterNode): { phases: string[]; ends: NodeStatus[] } {
  const phases: string[] = [];
  const ends: NodeStatus[] = [];
  void (async () => {
    for await (const status of node.status()) {
      if (status.type !== "reconnectHold") continue;
      phases.push(status.phase === "started" ? "started" : `ended ${status.reason}`);
      if (status.phase === "ended") ends.push(status);
    }
  })().catch((error: unknown) => phases.push(`failed: ${String(error)}`));
  return { phases, ends };
}

/** A broker on the ports of one that was stopped. */
function restartOn(stopped: Broker): Promise<Broker> {
  return startBroker({
    listenXpubEndpoint: stopped.xpubEndpoint,
    listenXsubEndpoint: stopped.xsubEndpoint,
    lingerMs: 0,
  });
}

/** Subscribes `subscriber` to `prefix` and waits until `publisher` has seen the subscription. */
async function subscribeSeenBy(
  publisher: ClusterNode,
  subscriber: ClusterNode,
  prefix: string,
): Promise<void> {
  await subscriber.subscribe(prefix);
  await until(() => publisher.remoteSubscriptions().has(prefix), `${prefix} at the publisher`);
}

/** Stops the broker and waits until the node's XPUB has noticed. */
async function stopBroker(broker: Broker, publisher: ClusterNode): Promise<void> {
  const noticed = statusOf(publisher, (s) => s.type === "disconnected" && s.socket === "xpub");
  await broker.close();
  await within(5000, "the publisher's XPUB disconnect", noticed);
}

describe("reconnectHoldMs: events published across a broker restart", () => {
  it("are kept back until the subscriber is back, then all delivered in order", async () => {
    const broker = await startTestBroker();
    let restarted: Broker | undefined;
    try {
      await using publisher = await nodeOn(broker, { name: "publisher", reconnectHoldMs: 10_000 });
      await using subscriber = await nodeOn(broker, { name: "subscriber" });
      const received: number[] = [];
      subscriber.on(numbered, ([seq]) => received.push(Number(seq.value)));
      await subscribeSeenBy(publisher, subscriber, "t.numbered");
      for (let seq = 0; seq < 10; seq++) publisher.publish("t.numbered", numbered.make(Value.count(seq)));
      await until(() => received.length === 10, "the events before the restart");
      const hold = holdPhases(publisher);

      await stopBroker(broker, publisher);
      await until(() => hold.phases.length === 1, "the hold's start");
      // Published while no broker is there: all kept in the publish queue, none handed to ZeroMQ.
      for (let seq = 10; seq < 300; seq++)
        expect(publisher.publish("t.numbered", numbered.make(Value.count(seq)))).toBe(true);
      expect(publisher.stats()).toMatchObject({ pendingPublishes: 290, eventsPublished: 10 });

      restarted = await restartOn(broker);
      await until(() => received.length === 300, "every event after the restart", 10_000);
      expect(received).toEqual(Array.from({ length: 300 }, (_, i) => i));
      await until(() => hold.phases.length === 2, "the hold's end");
      expect(hold.phases).toEqual(["started", "ended complete"]);
      expect(publisher.stats()).toMatchObject({
        eventsPublished: 300,
        reconnectDrops: 0,
        xpubDrops: 0,
        publishQueueDrops: 0,
        pendingPublishes: 0,
      });
    } finally {
      await restarted?.close();
      await broker.close();
    }
  });

  it("drops and counts what is kept for a subscriber that does not come back; other events go", async () => {
    const broker = await startTestBroker();
    let restarted: Broker | undefined;
    try {
      const lines: string[] = [];
      await using publisher = await nodeOn(broker, {
        name: "publisher",
        reconnectHoldMs: 2000,
        log: (line) => lines.push(line),
      });
      const gone = await nodeOn(broker, { name: "gone" });
      await using staying = await nodeOn(broker, { name: "staying" });
      const toStaying: number[] = [];
      staying.on(numbered, ([seq]) => toStaying.push(Number(seq.value)));
      await subscribeSeenBy(publisher, gone, "t.gone");
      await subscribeSeenBy(publisher, staying, "t.staying");
      const hold = holdPhases(publisher);

      await stopBroker(broker, publisher);
      await gone.close();
      // Interleaved: the events for the subscriber that comes back must not wait behind those for the one that
      // does not, and an event for a topic nobody ever subscribed to is sent (and discarded) as usual.
      for (let seq = 0; seq < 50; seq++) {
        publisher.publish("t.gone", numbered.make(Value.count(seq)));
        publisher.publish("t.staying", numbered.make(Value.count(seq)));
      }
      publisher.publish("t.nobody", numbered.make(Value.count(0)));

      restarted = await restartOn(broker);
      await until(() => toStaying.length === 50, "the staying subscriber's events", 10_000);
      expect(toStaying).toEqual(Array.from({ length: 50 }, (_, i) => i));
      // …before the hold ended: the gone subscriber's events still wait, none dropped yet.
      expect(publisher.stats()).toMatchObject({ reconnectDrops: 0, pendingPublishes: 50 });
      await until(
        () => publisher.stats().reconnectDrops === 50,
        "the drop of the gone subscriber's events",
        10_000,
      );
      expect(publisher.stats()).toMatchObject({
        eventsPublished: 51,
        reconnectDrops: 50,
        pendingPublishes: 0,
      });
      expect(lines.filter((line) => line.includes("held across a broker reconnection"))).toHaveLength(1);
      await until(() => hold.phases.length === 2, "the hold's end");
      expect(hold.phases).toEqual(["started", "ended timeout"]);
      // t.gone: the only prefix none of whose subscribers came back (t.staying's did).
      expect(hold.ends[0]).toMatchObject({ missingPrefixes: 1 });
    } finally {
      await restarted?.close();
      await broker.close();
    }
  });

  it("waitForSubscriber goes by the new broker's subscriptions, not those seen before the restart", async () => {
    const broker = await startTestBroker();
    let restarted: Broker | undefined;
    try {
      await using publisher = await nodeOn(broker, { name: "publisher" });
      const leaving = await nodeOn(broker, { name: "leaving" });
      await subscribeSeenBy(publisher, leaving, "t.leaving");
      await publisher.waitForSubscriber("t.leaving.x", 0);
      await stopBroker(broker, publisher);
      // Its subscriber leaves while the broker is away: no unsubscription ever reaches the publisher.
      await leaving.close();
      restarted = await restartOn(broker);
      await within(5000, "the publisher's XPUB reconnect", publisher.ready());
      await expect(publisher.waitForSubscriber("t.leaving.x", 300)).rejects.toMatchObject({
        code: "TIMEOUT",
      });
    } finally {
      await restarted?.close();
      await broker.close();
    }
  });

  it("off (0, Zeek's way): nothing is kept back while the broker is away", async () => {
    const broker = await startTestBroker();
    try {
      await using publisher = await nodeOn(broker, { name: "publisher", reconnectHoldMs: 0 });
      await using subscriber = await nodeOn(broker, { name: "subscriber" });
      await subscribeSeenBy(publisher, subscriber, "t.numbered");
      await stopBroker(broker, publisher);
      for (let seq = 0; seq < 20; seq++) publisher.publish("t.numbered", numbered.make(Value.count(seq)));
      // Handed to ZeroMQ at once (its pipe keeps them for the next broker): nothing waits in the publish queue.
      await until(() => publisher.stats().eventsPublished === 20, "the events handed to ZeroMQ");
      expect(publisher.stats()).toMatchObject({ pendingPublishes: 0, reconnectDrops: 0 });
    } finally {
      await broker.close();
    }
  });

  it("close() during a hold counts what was kept as closeDrops", async () => {
    const broker = await startTestBroker();
    try {
      const publisher = await nodeOn(broker, { name: "publisher" });
      await using subscriber = await nodeOn(broker, { name: "subscriber" });
      await subscribeSeenBy(publisher, subscriber, "t.numbered");
      await stopBroker(broker, publisher);
      for (let seq = 0; seq < 20; seq++) publisher.publish("t.numbered", numbered.make(Value.count(seq)));
      expect(publisher.stats().pendingPublishes).toBe(20);
      await publisher.close();
      expect(publisher.stats()).toMatchObject({ closeDrops: 20, pendingPublishes: 0, eventsPublished: 0 });
    } finally {
      await broker.close();
    }
  });

  it("rejects a hold that is not a whole number of ms in range", async () => {
    const broker = await startTestBroker();
    try {
      for (const reconnectHoldMs of [-1, 1.5, 2 ** 31])
        await expect(nodeOn(broker, { reconnectHoldMs })).rejects.toThrow(/reconnectHoldMs/);
    } finally {
      await broker.close();
    }
  });
});
