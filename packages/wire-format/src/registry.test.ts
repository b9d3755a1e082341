import { describe, expect, it } from "vitest";
import {
  decodeEventMessage,
  encodeBrokerBinEvent,
  encodeCborEvent,
  eventCodec,
  eventFormats,
  Value,
} from "./index.js";

describe("format registry", () => {
  const event = { name: "Cluster::hello", args: [Value.string("worker-1"), Value.string("id")] };

  it("finds each codec by its wire name and decodes a message by its format frame", () => {
    expect(eventFormats()).toEqual(expect.arrayContaining(["broker-bin-v1", "zmqc-cbor-v1"]));
    for (const [format, payload] of [
      ["broker-bin-v1", encodeBrokerBinEvent(event)],
      ["zmqc-cbor-v1", encodeCborEvent(event)],
    ] as const) {
      expect(eventCodec(format).format).toBe(format);
      expect(decodeEventMessage({ topic: "t", sender: "s", format, payload })).toEqual(event);
    }
  });

  it("an unknown format is a DecodeError naming it (Zeek's 'Wrong format')", () => {
    expect(() => eventCodec("broker-bin-v2")).toThrow(
      expect.objectContaining({ code: "DECODE", reason: "unknown_format", format: "broker-bin-v2" }),
    );
    expect(() => eventCodec("broker-bin-v2")).toThrow(/unknown event format 'broker-bin-v2'/);
  });
});
