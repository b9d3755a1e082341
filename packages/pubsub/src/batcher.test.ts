import { setImmediate as nextTurn } from "node:timers/promises";
import { decodeEventBatch } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { EventBatcher } from "./batcher.js";

const event = (n: number) => Uint8Array.of(n);

function collect(accept = true) {
  const sent: { topic: string; events: number[] }[] = [];
  let dropped = 0;
  const batcher = new EventBatcher(
    "broker-bin-v1",
    { maxEvents: 3 },
    (topic, payload) => {
      const batch = decodeEventBatch(payload);
      expect(batch.format).toBe("broker-bin-v1");
      sent.push({ topic, events: batch.payloads.map((p) => p[0] as number) });
      return accept;
    },
    (events) => {
      dropped += events;
    },
  );
  return { batcher, sent, dropped: () => dropped };
}

describe("EventBatcher", () => {
  it("sends full batches at once and the rest at the end of the turn, per topic, in order", async () => {
    const { batcher, sent } = collect();
    for (let n = 0; n < 7; n++) batcher.addPayload("a", event(n));
    batcher.addPayload("b", event(100));
    expect(sent).toEqual([
      { topic: "a", events: [0, 1, 2] },
      { topic: "a", events: [3, 4, 5] },
    ]);
    expect(batcher.size()).toBe(2);
    await nextTurn();
    expect(sent.slice(2)).toEqual([
      { topic: "a", events: [6] },
      { topic: "b", events: [100] },
    ]);
    expect(batcher.size()).toBe(0);
  });

  it("a lone event goes in the same turn's flush (no added waiting)", async () => {
    const { batcher, sent } = collect();
    batcher.addPayload("a", event(1));
    await nextTurn();
    expect(sent).toEqual([{ topic: "a", events: [1] }]);
  });

  it("counts every event of a batch the sink refused, and of a discarded batch", async () => {
    const { batcher, dropped } = collect(false);
    for (let n = 0; n < 4; n++) batcher.addPayload("a", event(n));
    expect(dropped()).toBe(3);
    batcher.discard();
    expect(dropped()).toBe(4);
    await nextTurn();
    expect(dropped()).toBe(4);
  });

  it("sends a batch once its bytes reach maxBytes", () => {
    const sent: number[] = [];
    const batcher = new EventBatcher(
      "f",
      { maxEvents: 100, maxBytes: 10 },
      (_t, _p, events) => sent.push(events) > 0,
      () => {},
    );
    batcher.addPayload("a", new Uint8Array(6));
    batcher.addPayload("a", new Uint8Array(6));
    expect(sent).toEqual([2]);
  });
});
