import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zeekValue } from "../../test/arbitraries.js";
import { encodeBrokerBinEvent } from "../broker-bin/event.js";
import { encodeBrokerJsonEvent } from "../broker-json/event.js";
import { EncodeError } from "../errors.js";
import type { ZeekEvent } from "../event.js";
import { Value } from "../value/build.js";
import { decodeEventBatch, encodeEventBatch, MAX_BATCH_EVENTS } from "./batch.js";
import { EventBatchBuilder } from "./builder.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

const anyEvent: fc.Arbitrary<ZeekEvent> = fc.record(
  {
    name: fc.string({ unit: "grapheme", maxLength: 30 }),
    args: fc.array(zeekValue, { maxLength: 5 }),
    metadata: fc.array(fc.record({ id: fc.bigInt({ min: 1n, max: 300n }), value: zeekValue }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ["name", "args"] },
);

describe("EventBatchBuilder", () => {
  it("makes exactly encodeEventBatch's bytes for any broker-bin-v1 events, long ones included", () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 1, maxLength: 20 }), (events) => {
        const builder = new EventBatchBuilder("broker-bin-v1");
        for (const event of events) builder.add(event);
        expect(builder.count).toBe(events.length);
        const expected = encodeEventBatch("broker-bin-v1", events.map(encodeBrokerBinEvent));
        expect(hex(builder.finish())).toBe(hex(expected));
      }),
    );
  });

  it("moves a payload on when its length needs more than one varbyte (127, 128, 16 384 bytes)", () => {
    const payloads = [127, 128, 200, 16_383, 16_384, 3].map((n) => new Uint8Array(n).fill(n & 0xff));
    const builder = new EventBatchBuilder("x");
    for (const payload of payloads) builder.addPayload(payload);
    expect(hex(builder.finish())).toBe(hex(encodeEventBatch("x", payloads)));
  });

  it("writes the count's varbyte at any size (1, 128 and 16 384 events)", () => {
    for (const count of [1, 128, 16_384]) {
      const builder = new EventBatchBuilder("broker-bin-v1");
      for (let i = 0; i < count; i++) builder.add({ name: "a", args: [Value.count(i)] });
      const batch = decodeEventBatch(builder.finish());
      expect(batch.payloads.length).toBe(count);
    }
  });

  it("uses the codec of another registered format", () => {
    const event = { name: "Test::x", args: [Value.string("y")] };
    const builder = new EventBatchBuilder("broker-json-v1");
    builder.add(event);
    expect(hex(builder.finish())).toBe(
      hex(encodeEventBatch("broker-json-v1", [encodeBrokerJsonEvent(event)])),
    );
  });

  it("starts a new batch after finish(), and reports the open batch's size", () => {
    const builder = new EventBatchBuilder("broker-bin-v1");
    builder.add({ name: "a", args: [] });
    const first = builder.finish();
    expect(builder.count).toBe(0);
    expect(builder.byteLength).toBe(0);
    builder.add({ name: "a", args: [] });
    expect(builder.byteLength).toBe(1 + encodeBrokerBinEvent({ name: "a", args: [] }).length);
    expect(hex(builder.finish())).toBe(hex(first));
  });

  it("leaves the batch as it was when an event cannot be encoded", () => {
    const builder = new EventBatchBuilder("broker-bin-v1");
    builder.add({ name: "a", args: [Value.count(1)] });
    expect(() => builder.add({ name: "b", args: [{ type: "count", value: -1n }] })).toThrow(EncodeError);
    expect(builder.count).toBe(1);
    builder.add({ name: "c", args: [] });
    const expected = encodeEventBatch("broker-bin-v1", [
      encodeBrokerBinEvent({ name: "a", args: [Value.count(1)] }),
      encodeBrokerBinEvent({ name: "c", args: [] }),
    ]);
    expect(hex(builder.finish())).toBe(hex(expected));
  });

  it("refuses an empty format name, finishing an empty batch, and more than MAX_BATCH_EVENTS events", () => {
    expect(() => new EventBatchBuilder("")).toThrow(/inner format name is empty/);
    const builder = new EventBatchBuilder("x");
    expect(() => builder.finish()).toThrow(EncodeError);
    for (let i = 0; i < MAX_BATCH_EVENTS; i++) builder.addPayload(new Uint8Array(0));
    expect(builder.full).toBe(true);
    expect(() => builder.addPayload(new Uint8Array(0))).toThrow(/at most 65536/);
    expect(decodeEventBatch(builder.finish()).payloads.length).toBe(MAX_BATCH_EVENTS);
  });

  it("hands out bytes the builder never writes again", () => {
    const builder = new EventBatchBuilder("broker-bin-v1");
    builder.add({ name: "first", args: [] });
    const first = builder.finish();
    const copy = hex(first);
    builder.add({ name: "second", args: [Value.string("overwrites?")] });
    builder.finish();
    expect(hex(first)).toBe(copy);
  });
});
