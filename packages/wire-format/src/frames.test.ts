import {
  DecodeError,
  decodeEventFrames,
  decodeLogFrames,
  decodeSubscription,
  encodeEventFrames,
  encodeLogFrames,
  encodeSubscription,
} from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";

const text = (frame: Uint8Array) => Buffer.from(frame).toString("latin1");
const payload = new Uint8Array([0x0e, 0x00]);

describe("event frames", () => {
  it("are [topic, sender, format, payload] and read back", () => {
    const message = {
      topic: "zeek.cluster.worker",
      sender: "zeromq_worker-1_host_1_Nabc",
      format: "broker-bin-v1",
      payload,
    };
    const frames = encodeEventFrames(message);
    expect(frames.map(text)).toEqual([
      "zeek.cluster.worker",
      "zeromq_worker-1_host_1_Nabc",
      "broker-bin-v1",
      "\x0e\x00",
    ]);
    expect(decodeEventFrames(frames)).toEqual(message);
  });

  it.each([0, 1, 3, 5])("%i parts is bad_frames", (count) => {
    const frames = Array.from({ length: count }, () => new Uint8Array([0x41]));
    expect(() => decodeEventFrames(frames)).toThrow(
      expect.objectContaining({ code: "DECODE", reason: "bad_frames", offset: count }),
    );
  });

  it("a topic that is not UTF-8 is bad_frames at frame 0", () => {
    const frames = [new Uint8Array([0xff]), new Uint8Array(), new Uint8Array(), payload];
    const error = (() => {
      try {
        decodeEventFrames(frames);
      } catch (caught) {
        return caught;
      }
    })();
    expect(DecodeError.isDecodeError(error)).toBe(true);
    expect(error).toMatchObject({ reason: "bad_frames", offset: 0 });
  });
});

describe("log frames", () => {
  it('are ["log-write", sender, format, payload]; frame 0 is ignored on receipt, as in Zeek', () => {
    const frames = encodeLogFrames({ sender: "zeromq_worker-1", format: "zeek-bin-serializer", payload });
    expect(text(frames[0] as Uint8Array)).toBe("log-write");
    expect(decodeLogFrames([new Uint8Array([0x78]), ...frames.slice(1)])).toEqual({
      sender: "zeromq_worker-1",
      format: "zeek-bin-serializer",
      payload,
    });
    expect(() => decodeLogFrames(frames.slice(0, 3))).toThrow(
      expect.objectContaining({ reason: "bad_frames" }),
    );
  });
});

describe("subscription frames", () => {
  it("are 0x01||prefix to subscribe and 0x00||prefix to unsubscribe (not truncated: Zeek's old \\x00 bug)", () => {
    expect(Array.from(encodeSubscription("zeek.cluster.node.worker-1."))).toEqual([
      1,
      ...Buffer.from("zeek.cluster.node.worker-1."),
    ]);
    const unsubscribe = encodeSubscription("/test/topic", false);
    expect(unsubscribe).toHaveLength(12);
    expect(decodeSubscription(unsubscribe)).toEqual({ subscribe: false, prefix: "/test/topic" });
    expect(decodeSubscription(encodeSubscription(""))).toEqual({ subscribe: true, prefix: "" });
  });

  it("a first byte other than 0 or 1, or an empty frame, is bad_frames", () => {
    expect(() => decodeSubscription(new Uint8Array([2, 0x41]))).toThrow(
      expect.objectContaining({ reason: "bad_frames" }),
    );
    expect(() => decodeSubscription(new Uint8Array())).toThrow(
      expect.objectContaining({ reason: "bad_frames" }),
    );
  });
});
