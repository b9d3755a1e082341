import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zeekValue } from "../../test/arbitraries.js";
import { encodeBrokerBinEvent } from "../broker-bin/event.js";
import { encodeBrokerJsonEvent } from "../broker-json/event.js";
import { EncodeError } from "../errors.js";
import type { ZeekEvent } from "../event.js";
import { Value } from "../value/build.js";
import { EventEncoder } from "./write-event.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

const anyEvent: fc.Arbitrary<ZeekEvent> = fc.record(
  {
    name: fc.string({ unit: "grapheme", maxLength: 80 }),
    args: fc.array(zeekValue, { maxLength: 5 }),
    metadata: fc.array(fc.record({ id: fc.bigInt({ min: 1n, max: 300n }), value: zeekValue }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ["name", "args"] },
);

describe("EventEncoder", () => {
  it("encodes any event to exactly encodeBrokerBinEvent's bytes (short and long, ASCII or not, metadata too)", () => {
    const encoder = new EventEncoder("broker-bin-v1");
    fc.assert(
      fc.property(anyEvent, (event) => {
        expect(hex(encoder.encode(event))).toBe(hex(encodeBrokerBinEvent(event)));
      }),
    );
  });

  it("writes counts either side of 2^32 (its own short path below) as the codec does", () => {
    const encoder = new EventEncoder("broker-bin-v1");
    for (const n of [0n, 1n, 255n, 65_536n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 64n - 1n]) {
      const event = { name: "Test::n", args: [Value.count(n), Value.string("x")] };
      expect(hex(encoder.encode(event))).toBe(hex(encodeBrokerBinEvent(event)));
    }
    expect(() => encoder.encode({ name: "x", args: [{ type: "count", value: 2n ** 64n }] })).toThrow(
      EncodeError,
    );
  });

  it("hands out a copy each time: an earlier payload is never overwritten", () => {
    const encoder = new EventEncoder("broker-bin-v1");
    const first = encoder.encode({ name: "a", args: [Value.string("one")] });
    const copy = hex(first);
    encoder.encode({ name: "b", args: [Value.string("two, and longer")] });
    expect(hex(first)).toBe(copy);
    expect(first).toBeInstanceOf(Uint8Array);
  });

  it("uses another format's codec, and throws EncodeError for what the format cannot carry", () => {
    const event = { name: "Test::x", args: [Value.string("y")] };
    expect(hex(new EventEncoder("broker-json-v1").encode(event))).toBe(hex(encodeBrokerJsonEvent(event)));
    const encoder = new EventEncoder("broker-bin-v1");
    expect(() => encoder.encode({ name: "x", args: [{ type: "count", value: -1n }] })).toThrow(EncodeError);
    expect(hex(encoder.encode(event))).toBe(hex(encodeBrokerBinEvent(event)));
  });
});
