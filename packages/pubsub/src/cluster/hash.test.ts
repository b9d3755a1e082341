// Expected digests come from outside the code under test:
// - FNV: the FNV-1a 32 test vectors of the reference implementation (www.isthe.com/chongo/src/fnv/test_fnv.c).
// - ZEEK: zeek/zeek v8.2.2 testing/btest/Baseline/bifs.fnv1a_hash/out, i.e. what Zeek's fnv1a32 BiF printed.
// - PY: computed once with Python's struct module, independently of this code:
//     /usr/bin/python3 -c 'import struct
//     def fnv(b):
//       h = 0x811c9dc5
//       for x in b: h = ((h ^ x) * 0x01000193) & 0xffffffff
//       return h
//     print(hex(fnv(struct.pack("<iq", 2, -1))), hex(fnv(struct.pack("<iQ", 3, 2**64 - 1))))'
//   ("<iq": little-endian int32 type tag, then int64; "<iQ" uint64; "<id" double). The same model gives the
//   ZEEK values for count 123, double 123.0, T and F, which checks the model against Zeek.
import { ZmqcError } from "@zmqc/config";
import { Value, type ZeekValue } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import {
  FNV1A32_OFFSET_BASIS,
  FNV1A32_PRIME,
  fnv1a32,
  hrwKeyBytes,
  hrwKeyDigest,
  UnsupportedKeyError,
} from "./hash.js";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("fnv1a32", () => {
  it("uses the FNV-1a 32-bit offset basis and prime Zeek's BiF uses (2166136261, 16777619)", () => {
    expect(FNV1A32_OFFSET_BASIS).toBe(2166136261);
    expect(FNV1A32_PRIME).toBe(16777619);
  });

  it.each([
    ["", 0x811c9dc5], // FNV
    ["a", 0xe40c292c], // FNV, ZEEK
    ["foobar", 0xbf9cf968], // FNV, ZEEK
    ["a very very long input sort of", 0xd14bf21b], // ZEEK
    ["123", 0x7238631b], // ZEEK
    ["T", 0xd10c0b43], // ZEEK
    ["worker-1.0", 0xf910a5ab], // PY
    ["ключ", 0x95c4e9e1], // PY, over the UTF-8 bytes
  ])("of the string %j is %i", (input, digest) => {
    expect(fnv1a32(input)).toBe(digest);
    expect(fnv1a32(new TextEncoder().encode(input))).toBe(digest);
  });

  it("hashes raw bytes", () => {
    expect(fnv1a32(bytes(1, 2, 3, 4))).toBe(0x5734a87d); // ZEEK: hexstr_to_bytestring("01020304")
    expect(fnv1a32(bytes(0x00, 0xff))).toBe(0xd277c7a0); // PY
  });

  it("returns an unsigned 32-bit number", () => {
    const digest = fnv1a32("a");
    expect(digest).toBeGreaterThan(0x7fffffff);
    expect(Number.isInteger(digest) && digest <= 0xffffffff).toBe(true);
  });
});

describe("the bytes Zeek hashes for a key", () => {
  it("are a string's bytes, whether a JS string, bytes or a string value", () => {
    expect(hrwKeyBytes("ab")).toEqual(bytes(0x61, 0x62));
    expect(hrwKeyBytes(bytes(0, 255))).toEqual(bytes(0, 255));
    expect(hrwKeyBytes(Value.string("ab"))).toEqual(bytes(0x61, 0x62));
    expect(hrwKeyBytes({ type: "string", value: bytes(0, 255) })).toEqual(bytes(0, 255));
  });

  it("are the int32 type tag and the 8-byte value, little-endian, for count, int, bool and double", () => {
    // Zeek TypeTag: bool 1, int 2, count 3, double 4 (src/Type.h).
    expect(hrwKeyBytes(Value.count(123))).toEqual(bytes(3, 0, 0, 0, 123, 0, 0, 0, 0, 0, 0, 0));
    expect(hrwKeyBytes(Value.integer(-1))).toEqual(bytes(2, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255));
    expect(hrwKeyBytes(Value.boolean(true))).toEqual(bytes(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
    // 1.5 is 0x3ff8000000000000.
    expect(hrwKeyBytes(Value.real(1.5))).toEqual(bytes(4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f));
  });

  it.each<[string, ZeekValue, number]>([
    ["count 123", Value.count(123), 0xc5b442fd], // ZEEK
    ["double 123.0", Value.real(123), 0x15d2016f], // ZEEK
    ["bool T", Value.boolean(true), 0x6c1151a5], // ZEEK
    ["bool F", Value.boolean(false), 0x0eaff284], // ZEEK
    ["int -1", Value.integer(-1), 0xc3f7ca0f], // PY
    ["int +5", Value.integer(5), 0xb66e6772], // PY
    ["count 2^64-1", Value.count((1n << 64n) - 1n), 0xa0673fde], // PY
    ["double -2.5", Value.real(-2.5), 0xec15b9d5], // PY
  ])("digest of %s", (_, key, digest) => {
    expect(hrwKeyDigest(key)).toBe(digest);
  });

  it.each<[string, ZeekValue]>([
    ["address", Value.address("10.0.0.1")],
    ["port", Value.port(80, "tcp")],
    ["enum", Value.enum("Cluster::WORKER")],
    ["vector", Value.vector([Value.count(1)])],
    ["none", Value.none()],
  ])("are not reproduced for a %s key: a typed ENCODE error", (type, key) => {
    let thrown: unknown;
    try {
      hrwKeyBytes(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedKeyError);
    expect(ZmqcError.is(thrown, "ENCODE")).toBe(true);
    expect((thrown as UnsupportedKeyError).keyType).toBe(type);
  });

  it("reject a count or integer outside 64 bits rather than wrap it", () => {
    expect(() => hrwKeyBytes({ type: "count", value: -1n })).toThrow(UnsupportedKeyError);
    expect(() => hrwKeyBytes({ type: "count", value: 1n << 64n })).toThrow(UnsupportedKeyError);
    expect(() => hrwKeyBytes({ type: "integer", value: 1n << 63n })).toThrow(/outside/);
    expect(() => hrwKeyBytes({ type: "integer", value: -(1n << 63n) })).not.toThrow();
  });
});
