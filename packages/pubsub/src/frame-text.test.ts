import { describe, expect, it } from "vitest";
import { FrameText, sameBytes } from "./frame-text.js";

describe("sameBytes", () => {
  it("is Buffer#equals for any pair", () => {
    const frames = ["", "a", "ab", "ba", "zmqc-batch-v1", "broker-bin-v1", "é"].map((text) =>
      Buffer.from(text),
    );
    for (const a of frames) for (const b of frames) expect(sameBytes(a, b)).toBe(a.equals(b));
  });
});

describe("FrameText", () => {
  it("decodes each frame's UTF-8, the same text again for equal bytes, new text for new bytes", () => {
    const text = new FrameText();
    expect(text.of(Buffer.from(""))).toBe("");
    expect(text.of(Buffer.from("zeek.cluster.é"))).toBe("zeek.cluster.é");
    expect(text.of(Buffer.from("zeek.cluster.é"))).toBe("zeek.cluster.é");
    expect(text.of(Buffer.from("zeek.cluster.e"))).toBe("zeek.cluster.e");
    expect(text.of(Buffer.from(""))).toBe("");
  });
});
