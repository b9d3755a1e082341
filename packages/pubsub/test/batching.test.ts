// zmqc-batch-v1 between zmqc nodes: many events per message, delivered exactly as one per message would be.
import { startTestBroker } from "@zmqc/broker/testing";
import { connect, defineEvent } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { XSubscriber } from "zeromq";
import { nodeOn, until, within } from "./support.js";

const ping = defineEvent("Bench::ping", ["string", "count"]);

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
});
