import { startTestBroker } from "@zmqc/broker/testing";
import { connect, defineEvent, type NodeStatus } from "@zmqc/pubsub";
import { encodeBrokerBinEvent, Value } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { XPublisher, XSubscriber } from "zeromq";
import { nodeOn, until, within } from "./support.js";

const ping = defineEvent("Test::ping", ["string", "count"]);

describe("a cluster node", () => {
  it("publishes events that a subscriber of the prefix receives, typed", async () => {
    await using broker = await startTestBroker();
    await using sender = await nodeOn(broker, { name: "sender" });
    await using receiver = await nodeOn(broker, { name: "receiver" });
    const events = receiver.events(ping);
    await receiver.subscribe("zeek.cluster.worker");
    await until(
      () => sender.remoteSubscriptions().has("zeek.cluster.worker"),
      "the subscription at the sender",
    );
    expect(sender.publish("zeek.cluster.worker.1", ping.make(Value.string("hi"), Value.count(7)))).toBe(true);
    const { value } = await within(5000, "the event", events.next());
    expect(value?.name).toBe("Test::ping");
    expect(value?.args[0].value).toBe("hi");
    expect(value?.args[1].value).toBe(7n);
    expect(value?.sender).toBe(sender.nodeId);
    expect(value?.topic).toBe("zeek.cluster.worker.1");
    expect(sender.stats()).toMatchObject({ eventsPublished: 1, xpubDrops: 0, publishQueueDrops: 0 });
  });

  it("delivers only to matching prefixes, and never a node's own events back to it", async () => {
    await using broker = await startTestBroker();
    await using a = await nodeOn(broker, { name: "a" });
    await using b = await nodeOn(broker, { name: "b" });
    const seenByA: string[] = [];
    a.on(ping, ([who]) => seenByA.push(String(who.value)));
    await a.subscribe("t.a.");
    await b.subscribe("t.b.");
    await until(
      () => a.remoteSubscriptions().has("t.b.") && b.remoteSubscriptions().has("t.a."),
      "both subscriptions",
    );
    a.publish("t.a.self", ping.make(Value.string("from a"), Value.count(1)));
    b.publish("t.b.x", ping.make(Value.string("b to b"), Value.count(2)));
    b.publish("t.a.x", ping.make(Value.string("b to a"), Value.count(3)));
    await until(() => seenByA.length === 1 && a.stats().selfEchoes === 1, "b's event and a's own echo at a");
    expect(seenByA).toEqual(["b to a"]);
  });

  it("raises subscription once per prefix and unsubscription every time, as Zeek does", async () => {
    await using broker = await startTestBroker();
    await using watcher = await nodeOn(broker, { name: "watcher" });
    const status = watcher.status();
    await using one = await nodeOn(broker, { name: "one" });
    await using two = await nodeOn(broker, { name: "two" });
    await one.subscribe("shared");
    await two.subscribe("shared");
    await one.subscribe("marker");
    const seen: string[] = [];
    for await (const event of status as AsyncIterable<NodeStatus>) {
      if (event.type === "subscription" || event.type === "unsubscription")
        seen.push(`${event.type} ${event.topic}`);
      if (seen.includes("subscription marker")) break;
    }
    expect(seen).toEqual(["subscription shared", "subscription marker"]);
  });

  it("queues a subscription made before the broker exists, and confirms it once the broker is up", async () => {
    const first = await startTestBroker();
    const endpoints = { xpubEndpoint: first.xpubEndpoint, xsubEndpoint: first.xsubEndpoint };
    await first.close();
    await using node = await connect({
      connectXpubEndpoint: endpoints.xsubEndpoint,
      connectXsubEndpoint: endpoints.xpubEndpoint,
      lingerMs: 0,
      log: () => {},
    });
    const confirmed = node.subscribe("early.topic", { timeoutMs: 10_000 });
    await using _broker = await startTestBroker({
      listenXpubEndpoint: endpoints.xpubEndpoint,
      listenXsubEndpoint: endpoints.xsubEndpoint,
    });
    await within(10_000, "the subscription echo", confirmed);
    expect(node.remoteSubscriptions().has("early.topic")).toBe(true);
  });

  it("counts wrong part counts, wrong formats, undecodable payloads and mismatched arguments, and goes on", async () => {
    await using broker = await startTestBroker();
    await using node = await nodeOn(broker, { name: "victim" });
    const typed = node.events(ping);
    await node.subscribe("t");
    const raw = new XPublisher({ linger: 0 });
    raw.connect(broker.xsubEndpoint);
    try {
      await until(() => node.remoteSubscriptions().has("t"), "the subscription");
      // The raw peer needs the subscription too before it forwards: wait for it on its own XPUB.
      await within(5000, "the subscription at the raw peer", raw.receive());
      const good = encodeBrokerBinEvent(ping.make(Value.string("ok"), Value.count(1)));
      await raw.send(["t", "peer", "broker-bin-v1"]);
      await raw.send(["t", "peer", "broker-json-v1", good]);
      await raw.send(["t", "peer", "broker-bin-v1", Buffer.from([0x0e, 0xff])]);
      await raw.send([
        "t",
        "peer",
        "broker-bin-v1",
        encodeBrokerBinEvent({ name: "Test::ping", args: [Value.integer(1)] }),
      ]);
      await raw.send(["t", "peer", "broker-bin-v1", good]);
      const { value } = await within(5000, "the good event after the bad ones", typed.next());
      expect(value?.args[0].value).toBe("ok");
      expect(node.stats()).toMatchObject({
        msgErrors: 1,
        formatErrors: 1,
        decodeErrors: 1,
        typeErrors: 1,
        eventsReceived: 2,
      });
    } finally {
      raw.close();
    }
  });

  it("drain() sends what was queued; after it publish() throws CLOSED", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker, { name: "receiver" });
    const events = receiver.events(ping);
    await receiver.subscribe("d");
    const sender = await nodeOn(broker, { name: "sender", lingerMs: 2000 });
    await until(() => sender.remoteSubscriptions().has("d"), "the subscription");
    for (let i = 0; i < 100; i++) sender.publish("d", ping.make(Value.string("x"), Value.count(i)));
    await sender.drain();
    expect(sender.stats()).toMatchObject({ closeDrops: 0, xpubDrops: 0 });
    expect(() => sender.publish("d", ping.make(Value.string("late"), Value.count(0)))).toThrow(
      expect.objectContaining({ code: "CLOSED" }),
    );
    let received = 0;
    for await (const event of events) {
      expect(event.args[1].value).toBe(BigInt(received));
      if (++received === 100) break;
    }
  });
});

describe("waitForSubscriber", () => {
  it("resolves once a prefix of the topic is subscribed anywhere, and not for other topics", async () => {
    await using broker = await startTestBroker();
    await using sender = await nodeOn(broker, { name: "sender" });
    await using receiver = await nodeOn(broker, { name: "receiver" });
    const kitchen = sender.waitForSubscriber("demo.sensors.kitchen", 10_000);
    const elsewhere = sender.waitForSubscriber("demo.alarms.door", 10_000).then(
      () => "resolved",
      (error: unknown) => error,
    );
    await receiver.subscribe("demo.sensors.");
    await within(5000, "the kitchen waiter", kitchen);
    // The prefix is there now: a later call resolves at once, and publishing reaches the receiver.
    await sender.waitForSubscriber("demo.sensors.garage", 0);
    const events = receiver.events(ping);
    sender.publish("demo.sensors.kitchen", ping.make(Value.string("kitchen"), Value.count(1)));
    expect((await within(5000, "the event", events.next())).value?.topic).toBe("demo.sensors.kitchen");
    // Nobody subscribes to demo.alarms.: a short wait times out, and a pending one rejects at close.
    await expect(sender.waitForSubscriber("demo.alarms.door", 50)).rejects.toMatchObject({
      code: "TIMEOUT",
      retriable: true,
    });
    await sender.close();
    expect(await elsewhere).toMatchObject({ code: "CLOSED" });
    await expect(sender.waitForSubscriber("demo.sensors.kitchen")).rejects.toMatchObject({ code: "CLOSED" });
  });
});

describe("waitForSubscriber with a prefix that is not UTF-8", () => {
  it("matches the prefix's bytes, as ZeroMQ does", async () => {
    await using broker = await startTestBroker();
    await using sender = await nodeOn(broker, { name: "sender" });
    // A raw peer subscribes to "a" + the first byte of "é" (0xc3 0xa9): not UTF-8 on its own.
    const raw = new XSubscriber({ linger: 0 });
    try {
      raw.connect(broker.xpubEndpoint);
      await raw.send(Buffer.from([1, 0x61, 0xc3]));
      await within(5000, "the byte prefix at the sender", sender.waitForSubscriber("aé.x", 5000));
      // Not a text prefix: no subscription status names it, as before.
      expect([...sender.remoteSubscriptions()]).toEqual([]);
      sender.publish("aé.x", ping.make(Value.string("bytes"), Value.count(1)));
      const [topic] = await within(5000, "the event at the raw peer", raw.receive());
      expect(topic?.toString("utf8")).toBe("aé.x");
    } finally {
      raw.close();
    }
  });
});

describe("overflow policy", () => {
  it("overflow { waitMs } waits for room at the XPUB's HWM instead of dropping", async () => {
    await using broker = await startTestBroker();
    let received = 0;
    await using receiver = await nodeOn(broker, { name: "receiver", onloopQueueHwm: 0 });
    receiver.on(ping, () => {
      received++;
    });
    await receiver.subscribe("w");
    await using sender = await nodeOn(broker, {
      name: "sender",
      xpubSndhwm: 100,
      publishQueueSize: 0,
      overflow: { waitMs: 5000 },
    });
    await until(() => sender.remoteSubscriptions().has("w"), "the subscription");
    for (let i = 0; i < 20_000; i++) sender.publish("w", ping.make(Value.string("x"), Value.count(i)));
    await until(() => received === 20_000, "every event", 30_000);
    expect(sender.stats()).toMatchObject({ xpubDrops: 0, eventsPublished: 20_000 });
  });
});
