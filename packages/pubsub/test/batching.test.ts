// zmqc-batch-v1 between zmqc nodes: many events per message, delivered exactly as one per message would be.
import { startTestBroker } from "@zmqc/broker/testing";
import { type ClusterNode, connect, defineEvent } from "@zmqc/pubsub";
import { EncodeError, Value, type ZeekEvent } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { XSubscriber } from "zeromq";
import { nodeOn, until, within } from "./support.js";

const ping = defineEvent("Bench::ping", ["string", "count"]);
const pings = (from: number, to: number): ZeekEvent[] =>
  Array.from({ length: to - from }, (_, i) => ping.make(Value.string("w"), Value.count(from + i)));

/** A receiver that records each ping's sequence number, its topic and sender, resolving at `count`. */
function recorder(receiver: ClusterNode, count: number) {
  const seen: bigint[] = [];
  const from = new Set<string>();
  const all = new Promise<void>((resolve) =>
    receiver.on(ping, ([, seq], event) => {
      seen.push(seq.value);
      from.add(`${event.topic} ${event.sender}`);
      if (seen.length === count) resolve();
    }),
  );
  return { seen, from, all };
}

describe("event batching (zmqc-batch-v1)", () => {
  it("a batching node's events reach a plain node all, in order, in far fewer messages", async () => {
    await using broker = await startTestBroker({ mode: "managed" });
    await using receiver = await nodeOn(broker);
    await using sender = await nodeOn(broker, { batching: { maxEvents: 50 } });
    const seen: bigint[] = [];
    const all = new Promise<void>((resolve) =>
      receiver.on(ping, ([, seq]) => {
        seen.push(seq.value);
        if (seen.length === 1000) resolve();
      }),
    );
    await receiver.subscribe("batch.");
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    for (let i = 0; i < 1000; i++) sender.publish("batch.x", ping.make(Value.string("w"), Value.count(i)));
    await within(10_000, "1000 events", all);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i)));
    expect(sender.stats().eventsPublished).toBe(1000);
    expect(receiver.stats().eventsReceived).toBe(1000);
    // 4 frames a message: unbatched that would be 4000 frames at the broker's XSUB.
    const frames = Number(broker.stats().proxy?.frontendMessagesReceived ?? 0n);
    expect(frames).toBeLessThanOrEqual(4 * 20 + 8);
  });

  it("publishWhenReady batches too, with backpressure, and drain() sends the last batch", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker);
    const sender = await nodeOn(broker, { batching: true, publishQueueSize: 4, lingerMs: 5000 });
    let count = 0;
    const all = new Promise<void>((resolve) =>
      receiver.on(ping, () => {
        if (++count === 500) resolve();
      }),
    );
    await receiver.subscribe("batch.");
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    for (let i = 0; i < 500; i++)
      await sender.publishWhenReady("batch.y", ping.make(Value.string("w"), Value.count(i)));
    await sender.drain();
    await within(10_000, "500 events", all);
    expect(sender.stats().publishQueueDrops).toBe(0);
  });

  it("a batch in another inner format is one format error per event; the wire shows zmqc-batch-v1", async () => {
    await using broker = await startTestBroker();
    await using jsonNode = await nodeOn(broker, { eventSerializer: "broker-json-v1" });
    const raw = new XSubscriber({ linger: 0 });
    raw.connect(broker.xpubEndpoint);
    await raw.send(Buffer.from("\x01batch."));
    await jsonNode.subscribe("batch.");
    const sender = await connect({
      connectXpubEndpoint: broker.xsubEndpoint,
      connectXsubEndpoint: broker.xpubEndpoint,
      batching: true,
      lingerMs: 1000,
      log: () => {},
    });
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    for (let i = 0; i < 3; i++) sender.publish("batch.z", ping.make(Value.string("w"), Value.count(i)));
    const [topic, , format] = await within(10_000, "the raw message", raw.receive());
    expect([topic?.toString(), format?.toString()]).toEqual(["batch.z", "zmqc-batch-v1"]);
    await until(() => jsonNode.stats().formatErrors === 3, "three format errors", 10_000);
    expect(jsonNode.stats().eventsReceived).toBe(0);
    raw.close();
    await sender.drain();
  });

  it("publishMany() takes a thousand events in one call: all arrive in order, from the right topic and sender", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker);
    await using sender = await nodeOn(broker, { batching: true, publishQueueSize: 1000 });
    const { seen, from, all } = recorder(receiver, 1000);
    await receiver.subscribe("batch.");
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    expect(sender.publishMany("batch.many", pings(0, 1000))).toBe(1000);
    await within(10_000, "1000 events", all);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i)));
    expect([...from]).toEqual([`batch.many ${sender.nodeId}`]);
    expect(sender.stats()).toMatchObject({ eventsPublished: 1000, publishQueueDrops: 0 });
  });

  it("publishMany() stops at a full queue: what it took arrives, what it refused is counted, nothing else", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker);
    await using sender = await nodeOn(broker, { batching: { maxEvents: 10 }, publishQueueSize: 2 });
    await receiver.subscribe("batch.");
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    const taken = sender.publishMany("batch.full", pings(0, 1000));
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(1000);
    const { seen, all } = recorder(receiver, taken);
    await within(10_000, `${taken} events`, all);
    expect(seen).toEqual(Array.from({ length: taken }, (_, i) => BigInt(i)));
    await until(() => sender.stats().eventsPublished === taken, "every taken event sent");
    expect(sender.stats()).toMatchObject({ publishQueueDrops: 1000 - taken, xpubDrops: 0, closeDrops: 0 });
  });

  it("publishManyWhenReady() waits for room instead: 20 000 events through a queue of 2, none dropped", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker);
    const sender = await nodeOn(broker, { batching: { maxEvents: 16 }, publishQueueSize: 2, lingerMs: 5000 });
    const { seen, all } = recorder(receiver, 20_000);
    await receiver.subscribe("batch.");
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    for (let i = 0; i < 20_000; i += 1000)
      await sender.publishManyWhenReady("batch.wait", pings(i, i + 1000));
    await sender.drain();
    await within(10_000, "20 000 events", all);
    expect(seen).toEqual(Array.from({ length: 20_000 }, (_, i) => BigInt(i)));
    expect(sender.stats()).toMatchObject({ eventsPublished: 20_000, publishQueueDrops: 0, closeDrops: 0 });
  });

  it("publishMany() without batching sends one message per event, in order", async () => {
    await using broker = await startTestBroker({ mode: "managed" });
    await using receiver = await nodeOn(broker);
    await using sender = await nodeOn(broker);
    const { seen, all } = recorder(receiver, 100);
    await receiver.subscribe("plain.");
    await until(() => sender.remoteSubscriptions().has("plain."), "the subscription at the sender");
    expect(sender.publishMany("plain.many", pings(0, 100))).toBe(100);
    await within(10_000, "100 events", all);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i)));
    // The broker's counters are sampled, not live: wait for them to show the 4 frames of each of the 100 messages.
    await until(
      () => Number(broker.stats().proxy?.frontendMessagesReceived ?? 0n) >= 4 * 100,
      "400 frames counted at the broker",
      10_000,
    );
  });

  it("an event that cannot be encoded throws from publishMany(); the events before it go, the batch is intact", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker);
    await using sender = await nodeOn(broker, { batching: true });
    const { seen, all } = recorder(receiver, 4);
    await receiver.subscribe("batch.");
    await until(() => sender.remoteSubscriptions().has("batch."), "the subscription at the sender");
    const bad = { name: ping.name, args: [Value.string("w"), { type: "count", value: -1n }] } as ZeekEvent;
    expect(() => sender.publishMany("batch.bad", [...pings(0, 2), bad, ...pings(9, 10)])).toThrow(
      EncodeError,
    );
    sender.publish("batch.bad", ping.make(Value.string("w"), Value.count(2)));
    sender.publish("batch.bad", ping.make(Value.string("w"), Value.count(3)));
    await within(10_000, "4 events", all);
    expect(seen).toEqual([0n, 1n, 2n, 3n]);
    expect(receiver.stats().decodeErrors).toBe(0);
  });
});
