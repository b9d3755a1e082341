import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBrokerBinEvent, encodeBrokerBinEvent } from "../broker-bin/event.js";
import { DecodeError, EncodeError } from "../errors.js";
import { Value } from "../value/build.js";
import { decodeEventBatch, encodeEventBatch, MAX_BATCH_EVENTS, ZMQC_BATCH_V1 } from "./batch.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("zmqc-batch-v1", () => {
  it("lays out version, inner format, count and length-prefixed payloads (SPEC.md's example)", () => {
    const batch = encodeEventBatch("broker-bin-v1", [Uint8Array.of(0xaa), Uint8Array.of(0xbb, 0xcc)]);
    expect(hex(batch)).toBe(`01 0d ${hex(Buffer.from("broker-bin-v1"))} 02 01aa 02bbcc`.replaceAll(" ", ""));
    expect(decodeEventBatch(batch)).toEqual({
      format: "broker-bin-v1",
      payloads: [Uint8Array.of(0xaa), Uint8Array.of(0xbb, 0xcc)],
    });
  });

  it("carries real broker-bin-v1 events that decode back to themselves", () => {
    const events = Array.from({ length: 3 }, (_, i) => ({
      name: "Bench::ping",
      args: [Value.string(`worker-${i}`), Value.count(BigInt(i))],
    }));
    const batch = decodeEventBatch(encodeEventBatch("broker-bin-v1", events.map(encodeBrokerBinEvent)));
    expect(batch.payloads.map((payload) => decodeBrokerBinEvent(payload))).toEqual(events);
  });

  it("round-trips any payloads, with lengths across the varbyte boundaries", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 40 }),
        (format, payloads) => {
          const batch = decodeEventBatch(encodeEventBatch(format, payloads));
          expect(batch.format).toBe(format);
          expect(batch.payloads.map(hex)).toEqual(payloads.map(hex));
        },
      ),
    );
  });

  it("refuses to encode no events, too many, or an empty format name", () => {
    expect(() => encodeEventBatch("broker-bin-v1", [])).toThrow(EncodeError);
    expect(() => encodeEventBatch("", [Uint8Array.of(1)])).toThrow(/inner format name is empty/);
    const many = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => new Uint8Array(0));
    expect(() => encodeEventBatch("x", many)).toThrow(/1 to 65536 events/);
  });

  it("refuses malformed batches with a DecodeError naming the format and the offset", () => {
    const good = encodeEventBatch("broker-bin-v1", [Uint8Array.of(1, 2, 3)]);
    const cases: [string, Uint8Array, RegExp][] = [
      ["empty", new Uint8Array(0), /truncated|version/],
      ["version 2", Uint8Array.from([2, ...good.subarray(1)]), /version 2/],
      ["truncated payload", good.subarray(0, good.length - 1), /event payload/],
      ["trailing bytes", Uint8Array.from([...good, 0]), /trailing|after/],
      ["no events", Uint8Array.from([1, 1, 0x78, 0]), /not 0/],
      ["empty format name", Uint8Array.from([1, 0, 1, 0]), /format name is empty/],
      ["count past the bound", Uint8Array.from([1, 1, 0x78, 0x81, 0x80, 0x04]), /not 65537/],
    ];
    for (const [what, bytes, message] of cases) {
      let error: unknown;
      try {
        decodeEventBatch(bytes);
      } catch (caught) {
        error = caught;
      }
      expect(error, what).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).format, what).toBe(ZMQC_BATCH_V1);
      expect((error as Error).message, what).toMatch(message);
    }
  });

  it("never throws anything but a DecodeError on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeEventBatch(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });
});
