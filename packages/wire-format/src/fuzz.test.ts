// Random and mutated input to every decoder: only DecodeError may come out, and nothing hangs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zeekValue } from "../test/arbitraries.js";
import {
  DecodeError,
  decodeBrokerBinEvent,
  decodeBrokerBinValue,
  decodeBrokerJsonEvent,
  decodeCborEvent,
  decodeEventFrames,
  decodeLogFrames,
  decodeSubscription,
  encodeBrokerBinEvent,
  encodeBrokerJsonEvent,
  encodeCborEvent,
  eventCodec,
} from "./index.js";

/** Runs a decoder; returns normally or with a DecodeError, and fails the property on anything else. */
function onlyDecodeErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    if (!DecodeError.isDecodeError(error)) throw error;
    expect(error.offset).toBeGreaterThanOrEqual(0);
  }
}

/** A valid payload with random damage: bytes flipped, cut short, or spliced with random bytes. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.nat(),
      fc.uint8Array({ maxLength: 8 }),
    )
    .map(([bytes, flips, cut, splice]) => {
      const copy = Uint8Array.from(bytes);
      for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
      const end = copy.length === 0 ? 0 : cut % (copy.length + 1);
      return Uint8Array.from([...copy.subarray(0, end), ...splice, ...copy.subarray(end)]);
    });
}

const events = fc.record({ name: fc.string({ maxLength: 30 }), args: fc.array(zeekValue, { maxLength: 4 }) });
const RUNS = { numRuns: 1500, seed: 20261125 };

describe("fuzz: only DecodeError escapes", () => {
  it("broker-bin-v1 values and events", () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated(events.map(encodeBrokerBinEvent)));
    fc.assert(
      fc.property(input, (bytes) => {
        onlyDecodeErrors(() => decodeBrokerBinValue(bytes));
        onlyDecodeErrors(() => decodeBrokerBinEvent(bytes));
      }),
      RUNS,
    );
  });

  it("broker-json-v1 events", () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      mutated(events.map((e) => encodeBrokerJsonEvent(e, { precision: "exact" }))),
    );
    fc.assert(
      fc.property(input, (bytes) => onlyDecodeErrors(() => decodeBrokerJsonEvent(bytes))),
      RUNS,
    );
  });

  it("zmqc-cbor-v1 events", () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated(events.map(encodeCborEvent)));
    fc.assert(
      fc.property(input, (bytes) => onlyDecodeErrors(() => decodeCborEvent(bytes))),
      RUNS,
    );
  });

  it("frames and subscriptions", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 6 }), (frames) => {
        onlyDecodeErrors(() => decodeEventFrames(frames));
        onlyDecodeErrors(() => decodeLogFrames(frames));
        onlyDecodeErrors(() => decodeSubscription(frames[0] ?? new Uint8Array()));
        onlyDecodeErrors(() => eventCodec(Buffer.from(frames[1] ?? []).toString("latin1")));
      }),
      RUNS,
    );
  });

  it("huge declared sizes fail fast without allocating", () => {
    const lies = [
      "0effffffff0f", // vector of 2^32-1 elements, no bytes
      "0dffffffff0f", // table of 2^32-1 entries
      "05ffffffff0f", // string of 2^32-1 bytes
      `${"0e01".repeat(100_000)}00`, // nesting bomb
    ];
    for (const hex of lies) onlyDecodeErrors(() => decodeBrokerBinValue(Buffer.from(hex, "hex")));
    onlyDecodeErrors(() =>
      decodeCborEvent(Buffer.from(`a3617601646e616d656165646172677381820e${"81".repeat(50_000)}`, "hex")),
    );
  });
});
