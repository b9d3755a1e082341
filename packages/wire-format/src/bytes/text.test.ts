import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeText, formatIpv4, isText } from "./text.js";

/** What decodeText must return: the text when the bytes are UTF-8, else a copy of them. */
function reference(bytes: Uint8Array): string | Uint8Array {
  return isUtf8(bytes) ? Buffer.from(bytes).toString("utf8") : Uint8Array.from(bytes);
}

const ascii = (text: string) => Uint8Array.from(Buffer.from(text, "latin1"));

describe("decodeText", () => {
  it("decodes any bytes as Buffer does, at any offset, again and again (the cache never changes a result)", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 48 }),
      fc.string({ unit: "binary-ascii", maxLength: 40 }).map(ascii),
      fc
        .string({ unit: "grapheme", maxLength: 20 })
        .map((text) => Uint8Array.from(Buffer.from(text, "utf8"))),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bytes, fc.nat({ max: 5 })), { minLength: 1, maxLength: 20 }),
        (inputs) => {
          for (let round = 0; round < 2; round++) {
            for (const [value, pad] of inputs) {
              const framed = new Uint8Array(pad + value.length + 3);
              framed.set(value, pad);
              expect(decodeText(framed, pad, pad + value.length)).toEqual(reference(value));
              expect(isText(framed, pad, pad + value.length)).toBe(isUtf8(value));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("tells apart strings of the same length that share a cache slot", () => {
    // 20 000 distinct short ASCII strings cannot all have their own slot among 4096.
    const texts = Array.from({ length: 20_000 }, (_unused, i) => `k${i.toString(36)}`);
    for (let round = 0; round < 2; round++)
      for (const text of texts) expect(decodeText(ascii(text), 0, text.length)).toBe(text);
  });

  it("returns non-UTF-8 bytes as a copy that does not alias the input", () => {
    const bytes = Uint8Array.from([0x41, 0xff, 0x42]);
    const value = decodeText(bytes, 0, 3);
    expect(value).toEqual(Uint8Array.from([0x41, 0xff, 0x42]));
    bytes[0] = 0x43;
    expect(value).toEqual(Uint8Array.from([0x41, 0xff, 0x42]));
  });

  it("reads an empty range as the empty string", () => {
    expect(decodeText(Uint8Array.of(1, 2), 1, 1)).toBe("");
  });
});

describe("formatIpv4", () => {
  it("formats the extremes, whose keys equal the caches' initial contents", () => {
    for (let round = 0; round < 3; round++) {
      expect(formatIpv4(Uint8Array.of(0, 0, 0, 0), 0)).toBe("0.0.0.0");
      expect(formatIpv4(Uint8Array.of(255, 255, 255, 255), 0)).toBe("255.255.255.255");
    }
  });

  it("is the dotted quad of any 4 bytes, also when repeated or sharing a cache slot", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 50 }),
        (list) => {
          for (let round = 0; round < 2; round++)
            for (const bytes of list)
              expect(formatIpv4(bytes, 1)).toBe(`${bytes[1]}.${bytes[2]}.${bytes[3]}.${bytes[4]}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
