import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical, zeekValue } from "../../test/arbitraries.js";
import { bytesOf, vectorById } from "../../test/vectors.js";
import { decodeBrokerBinEvent } from "../broker-bin/event.js";
import { DecodeError } from "../errors.js";
import { Value } from "../value/build.js";
import { cborEncoder } from "./codec.js";
import { decodeCborEvent, encodeCborEvent } from "./event.js";

describe("zmqc-cbor-v1", () => {
  it("carries the same event as broker-bin-v1", () => {
    const vector = vectorById("zeek/broker-bin-v1/node_status");
    const event = decodeBrokerBinEvent(bytesOf(vector));
    expect(decodeCborEvent(encodeCborEvent(event))).toEqual(event);
  });

  it("is plain CBOR: a map with v, name, args, each value [typeTag, …data]", () => {
    const payload = encodeCborEvent({
      name: "e",
      args: [Value.count(1), Value.address("10.0.0.1"), Value.port(80, "tcp")],
    });
    expect(cborEncoder.decode(payload)).toEqual({
      v: 1,
      name: "e",
      args: [
        [2, 1],
        [6, Buffer.from([10, 0, 0, 1])],
        [8, 80, 1],
      ],
    });
  });

  it("keeps -0, infinities, NaN, 64-bit extremes and byte strings", () => {
    const args = [
      Value.real(-0),
      Value.real(Number.NEGATIVE_INFINITY),
      Value.real(Number.NaN),
      Value.real(1),
      Value.count((1n << 64n) - 1n),
      Value.integer(-(1n << 63n)),
      Value.timeNs(1_700_000_000_123_456_789n),
      Value.string(new Uint8Array([0xff, 0])),
    ];
    expect(decodeCborEvent(encodeCborEvent({ name: "e", args })).args).toEqual(args);
  });

  it("round-trips every value", () => {
    fc.assert(
      fc.property(fc.array(zeekValue, { maxLength: 4 }), (args) => {
        expect(decodeCborEvent(encodeCborEvent({ name: "e", args })).args).toEqual(args.map(canonical));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["not CBOR", "ff"],
    ["truncated", "a3"],
    ["not a map", "8100"],
    ["wrong version", "a3617602646e616d65616561646172677380"],
    ["unknown type tag", "a3617601646e616d6561656461726773818163"],
    ["count that is negative", "a3617601646e616d6561656461726773818202" + "20"],
  ])("%s is a DecodeError", (_name, hex) => {
    let error: unknown;
    try {
      decodeCborEvent(Buffer.from(hex, "hex"));
    } catch (caught) {
      error = caught;
    }
    expect(DecodeError.isDecodeError(error)).toBe(true);
    expect(error).toMatchObject({ format: "zmqc-cbor-v1" });
  });
});
