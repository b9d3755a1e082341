import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf, vectors } from "../../test/vectors.js";
import { DecodeError, type DecodeReason, EncodeError } from "../errors.js";
import { LogValues, logField } from "./build.js";
import { decodeZeekLogBatch, decodeZeekLogValue, MAX_LOG_DEPTH } from "./decode.js";
import { encodeZeekLogBatch, encodeZeekLogValue } from "./encode.js";
import { type LogBatch, type LogValue, TypeTag, ZEEK_BIN_SERIALIZER } from "./model.js";
import { logBatch, logValue, nestedVector } from "./test-arbitraries.js";

/** The bytes of the conformance vector `id` (failing the test when it is missing). */
function vectorBytes(id: string): Uint8Array {
  const vector = vectors().find((v) => v.id === id);
  if (!vector) throw new Error(`no conformance vector ${id}`);
  return bytesOf(vector);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const unhex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));

/** Runs `fn` and returns the DecodeError it throws; fails the test on success or on any other error. */
function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (DecodeError.isDecodeError(err)) return err;
    throw err;
  }
  throw new Error("expected a DecodeError, but decoding succeeded");
}

function expectDecodeError(fn: () => unknown, reason: DecodeReason, offset?: number): DecodeError {
  const err = decodeError(fn);
  expect(err.format).toBe(ZEEK_BIN_SERIALIZER);
  expect(err.reason, err.message).toBe(reason);
  if (offset !== undefined) expect(err.offset, err.message).toBe(offset);
  return err;
}

/** A big-endian C-int length and the UTF-8 bytes, as the format writes strings. */
function str(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return bytes.length.toString(16).padStart(8, "0") + bytes.toString("hex");
}

const HEADER = str("Conn::LOG") + str("Log::WRITER_ASCII") + str("default") + str("conn");

/** A conn.log-like batch with a column of every log type, unset values and non-UTF-8 bytes. */
const connBatch: LogBatch = {
  stream: "Conn::LOG",
  writer: "Log::WRITER_ASCII",
  filter: "default",
  path: "conn",
  fields: [
    logField("ts", "time"),
    logField("uid", "string"),
    logField("id.orig_h", "addr"),
    logField("id.orig_p", "port"),
    logField("id.resp_h", "addr"),
    logField("id.resp_p", "port"),
    logField("proto", "enum"),
    logField("service", "string", { optional: true }),
    logField("duration", "interval", { optional: true }),
    logField("orig_bytes", "count", { optional: true }),
    logField("local_orig", "bool", { optional: true }),
    logField("ip_proto", "int"),
    logField("score", "double"),
    logField("local_net", "subnet"),
    logField("tunnel_parents", "set", { element: "string", optional: true }),
    logField("hops", "vector", { element: "addr" }),
    logField("trace", "file"),
    logField("hook", "func"),
    logField("port_name", "port", { secondaryName: "port_proto" }),
  ],
  records: [
    [
      LogValues.time(1_700_000_000.123456),
      LogValues.string("CHhAvVGS1DHFjwGM9"),
      LogValues.addr("192.168.1.100"),
      LogValues.port(49152, "tcp"),
      LogValues.addr("2001:db8::1"),
      LogValues.port(443, "tcp"),
      LogValues.enum("tcp"),
      LogValues.string("ssl"),
      LogValues.interval(0.25),
      LogValues.count((1n << 64n) - 1n),
      LogValues.bool(true),
      LogValues.int(-6),
      LogValues.double(-0),
      LogValues.subnet("10.1.2.3/8"),
      LogValues.set([LogValues.string("CzUp2N1"), LogValues.string("Cy7y9"), LogValues.string("")]),
      LogValues.vector([
        LogValues.addr("10.0.0.1"),
        LogValues.addr("::ffff:1.2.3.4"),
        LogValues.absent("addr"),
      ]),
      LogValues.file("/tmp/trace.pcap"),
      LogValues.func("Site::is_local_addr"),
      LogValues.port(53, "udp"),
    ],
    [
      LogValues.time(0),
      LogValues.string(new Uint8Array([0xff, 0x00, 0xc3])),
      LogValues.addr("0.0.0.0"),
      LogValues.port(0, "unknown"),
      LogValues.addr("::"),
      LogValues.port(8, "icmp"),
      LogValues.enum("icmp"),
      LogValues.absent("string"),
      LogValues.absent("interval"),
      LogValues.absent("count"),
      LogValues.absent("bool"),
      LogValues.int(-(1n << 63n)),
      LogValues.double(Number.POSITIVE_INFINITY),
      LogValues.subnet("2001:db8::/32"),
      LogValues.set([]),
      LogValues.vector([]),
      LogValues.file(new Uint8Array([0xfe])),
      LogValues.func("é"),
      LogValues.port(65535, "tcp"),
    ],
  ],
};
const connBytes = encodeZeekLogBatch(connBatch);

describe("zeek-bin-serializer conformance vectors", () => {
  const logVectors = [
    ...vectors({ format: ZEEK_BIN_SERIALIZER, kind: "log-batch" }),
    ...vectors({ format: ZEEK_BIN_SERIALIZER, kind: "log-value" }),
  ];

  it("has the upstream doctests and our own cases", () => {
    expect(logVectors.length).toBeGreaterThanOrEqual(25);
    expect(logVectors.filter((v) => v.id.startsWith("zeek/")).length).toBe(17);
  });

  it.each(logVectors.map((v) => [v.id, v] as const))("%s", (_id, vector) => {
    const bytes = bytesOf(vector);
    const batch = vector.kind === "log-batch";
    const decode = () => (batch ? decodeZeekLogBatch(bytes) : decodeZeekLogValue(bytes));
    if (vector.expect === "reject") {
      decodeError(decode);
      return;
    }
    const decoded = decode();
    if (vector.expect === "decode") return;
    const encoded = batch ? encodeZeekLogBatch(decoded as LogBatch) : encodeZeekLogValue(decoded as LogValue);
    expect(hex(encoded)).toBe(hex(bytes));
  });

  it("reads the upstream roundtrip batch as Zeek's doctest checks it", () => {
    expect(decodeZeekLogBatch(vectorBytes("zeek/zeek-bin-serializer/my-path"))).toEqual({
      stream: "Log::UNKNOWN",
      writer: "Log::WRITER_NONE",
      filter: "default",
      path: "my-path",
      fields: [{ name: "ts", type: TypeTag.TIME, subtype: TypeTag.ERROR, optional: false }],
      records: [
        [{ ...LogValues.time(1), subtype: TypeTag.ERROR }],
        [{ ...LogValues.time(2), subtype: TypeTag.ERROR }],
      ],
      trailingBytes: 0,
    });
  });

  it("reads the doctest values as Zeek's CHECKs expect", () => {
    const value = (id: string) => decodeZeekLogValue(vectorBytes(id));
    const error = TypeTag.ERROR;
    expect(value("zeek/log-value/addr-v4")).toEqual({ ...LogValues.addr("1.2.3.4"), subtype: error });
    expect(value("zeek/log-value/addr-v6")).toEqual({
      ...LogValues.addr("102:304:506:708:90a:b0c:d0e:f10"),
      subtype: error,
    });
    expect(value("zeek/log-value/subnet-v4")).toEqual({ ...LogValues.subnet("1.2.0.0/16"), subtype: error });
    expect(value("zeek/log-value/subnet-v6")).toEqual({
      ...LogValues.subnet("102:304:506:708::/64"),
      subtype: error,
    });
    expect(value("zeek/log-value/set-of-bools")).toEqual({
      ...LogValues.set([LogValues.bool(true), LogValues.bool(false)]),
      subtype: TypeTag.BOOL,
    });
    expect(value("zeek/log-value/vector-of-bools")).toEqual({
      ...LogValues.vector([LogValues.bool(true), LogValues.bool(false)]),
      subtype: 255,
    });
    expect(value("zeek/log-value/vector-empty")).toEqual({ ...LogValues.vector([]), subtype: 255 });
    expect(value("zeek/log-value/string")).toEqual({ ...LogValues.string("ABCD"), subtype: error });
    expect(value("zmqc/log-value/absent-unknown-tag")).toEqual({ present: false, tag: 255, subtype: error });
  });

  it("reads a batch captured from a real Zeek 8.2.2 worker: subtypes, set order, flattening, unset values", () => {
    const batch = decodeZeekLogBatch(vectorBytes("zmqc/zeek-bin-serializer/zeek-8.2.2-every-type"));
    expect([batch.stream, batch.writer, batch.filter, batch.path]).toEqual([
      "Test::LOG",
      "Log::WRITER_ASCII",
      "default",
      "test",
    ]);
    // Columns: subtype VOID, except sets and vectors, which carry their element type; records are flattened.
    const columns = Object.fromEntries(batch.fields.map((f) => [f.name, [f.type, f.subtype, f.optional]]));
    expect(columns).toMatchObject({
      ts: [TypeTag.TIME, TypeTag.VOID, false],
      ss: [TypeTag.TABLE, TypeTag.STRING, false],
      vc: [TypeTag.VECTOR, TypeTag.COUNT, false],
      va: [TypeTag.VECTOR, TypeTag.ADDR, true],
      "n.x": [TypeTag.COUNT, TypeTag.VOID, false],
      "n.y": [TypeTag.STRING, TypeTag.VOID, true],
    });
    const [first, second] = batch.records;
    const column = (record: readonly LogValue[] | undefined, name: string) =>
      record?.[batch.fields.findIndex((f) => f.name === name)];
    // Values: subtype VOID, containers and their elements included.
    const subtypes = (value: LogValue): number[] =>
      value.present && (value.type === "set" || value.type === "vector")
        ? [value.subtype, ...value.elements.flatMap(subtypes)]
        : [value.subtype];
    expect(new Set(batch.records.flat().flatMap(subtypes))).toEqual(new Set([TypeTag.VOID]));
    // Sets arrive in Zeek's hash order (per process; this capture's), not sorted, and are kept so.
    expect(column(first, "ss")).toEqual(LogValues.set(["b", "c", "a"].map(LogValues.string)));
    expect(column(first, "s")).toEqual(LogValues.string(new Uint8Array([0x68, 0xff, 0x69])));
    expect(column(first, "sn4")).toEqual(LogValues.subnet("10.0.0.0/8"));
    // An unset parent record leaves a non-optional column unset: Zeek does not enforce `optional`.
    expect(column(second, "n.x")).toEqual(LogValues.absent("count"));
    // Zeek sends an IPv4-mapped address as family 4.
    expect(column(second, "a6")).toEqual(LogValues.addr("1.2.3.4"));
  });

  it("counts the bytes after a batch instead of refusing them, as Zeek ignores them", () => {
    const batch = decodeZeekLogBatch(vectorBytes("zmqc/zeek-bin-serializer/trailing-bytes"));
    expect(batch.trailingBytes).toBe(4);
    expect(batch.records).toHaveLength(2);
  });
});

describe("values byte by byte, as Zeek's logging framework writes them (subtype VOID)", () => {
  const cases: [string, LogValue, string][] = [
    ["bool T", LogValues.bool(true), "00000001 00000000 01 0000000000000001"],
    ["bool F", LogValues.bool(false), "00000001 00000000 01 0000000000000000"],
    ["int -1", LogValues.int(-1), "00000002 00000000 01 ffffffffffffffff"],
    ["count 2^64-1", LogValues.count((1n << 64n) - 1n), "00000003 00000000 01 ffffffffffffffff"],
    ["double 1.5", LogValues.double(1.5), "00000004 00000000 01 3ff8000000000000"],
    ["time 1.0", LogValues.time(1), "00000005 00000000 01 3ff0000000000000"],
    ["time from a Date", LogValues.time(new Date(2000)), "00000005 00000000 01 4000000000000000"],
    ["interval 0.25", LogValues.interval(0.25), "00000006 00000000 01 3fd0000000000000"],
    ["string é", LogValues.string("é"), "00000007 00000000 01 00000002 c3a9"],
    ["string of bytes", LogValues.string(new Uint8Array([0xff])), "00000007 00000000 01 00000001 ff"],
    ["enum tcp", LogValues.enum("tcp"), "00000009 00000000 01 00000003 746370"],
    ["port 53/udp", LogValues.port("53/udp"), "0000000a 00000000 01 0000000000000035 00000002"],
    ["port 443/tcp", LogValues.port(443, "tcp"), "0000000a 00000000 01 00000000000001bb 00000001"],
    ["port 8/icmp", LogValues.port(8, "icmp"), "0000000a 00000000 01 0000000000000008 00000003"],
    ["addr 10.0.0.1", LogValues.addr("10.0.0.1"), "0000000b 00000000 01 04 0a000001"],
    [
      "addr 2001:db8::1",
      LogValues.addr("2001:db8::1"),
      "0000000b 00000000 01 06 20010db8000000000000000000000001",
    ],
    [
      "addr ::ffff:1.2.3.4 stays family 6",
      LogValues.addr("::ffff:1.2.3.4"),
      "0000000b 00000000 01 06 00000000000000000000ffff01020304",
    ],
    [
      "subnet 10.0.0.0/8 (length 8 + 96)",
      LogValues.subnet("10.1.2.3/8"),
      "0000000c 00000000 01 68 04 0a000000",
    ],
    [
      "subnet 2001:db8::/32",
      LogValues.subnet("2001:db8::", 32),
      "0000000c 00000000 01 20 06 20010db8000000000000000000000000",
    ],
    [
      "set of one string",
      LogValues.set([LogValues.string("a")]),
      "0000000e 00000000 01 0000000000000001 00000007 00000000 01 00000001 61",
    ],
    ["empty vector", LogValues.vector([]), "00000013 00000000 01 0000000000000000"],
    ["file", LogValues.file("x"), "00000012 00000000 01 00000001 78"],
    ["func", LogValues.func("f"), "00000011 00000000 01 00000001 66"],
    ["unset string", LogValues.absent("string"), "00000007 00000000 00"],
    ["unset by tag number", LogValues.absent(TypeTag.PATTERN), "00000008 00000000 00"],
  ];
  it.each(cases)("%s", (_name, value, expected) => {
    expect(hex(encodeZeekLogValue(value))).toBe(expected.replace(/\s+/g, ""));
    expect(decodeZeekLogValue(unhex(expected))).toEqual(value);
  });

  it("writes a column as Zeek's TraverseRecord does: subtype VOID, element type for sets and vectors", () => {
    const batch: LogBatch = {
      ...connBatch,
      fields: [
        logField("ts", "time"),
        logField("tunnel_parents", "set", { element: "string", optional: true }),
      ],
      records: [],
    };
    const ts = `00${str("ts")}000000050000000000`;
    const tunnelParents = `00${str("tunnel_parents")}0000000e0000000701`;
    expect(hex(encodeZeekLogBatch(batch))).toBe(`${HEADER}00000002${ts}${tunnelParents}00000000`);
  });
});

describe("a conn.log-like batch", () => {
  it("round-trips every value type byte for byte", () => {
    const decoded = decodeZeekLogBatch(connBytes);
    expect(decoded).toEqual({ ...connBatch, trailingBytes: 0 });
    expect(hex(encodeZeekLogBatch(decoded))).toBe(hex(connBytes));
  });

  it("keeps set order as sent (Zeek's hash order) and bytes that are not UTF-8 as bytes", () => {
    const [first, second] = decodeZeekLogBatch(connBytes).records;
    expect(first?.[14]).toEqual(
      LogValues.set([LogValues.string("CzUp2N1"), LogValues.string("Cy7y9"), LogValues.string("")]),
    );
    expect(second?.[1]).toEqual(LogValues.string(new Uint8Array([0xff, 0x00, 0xc3])));
    expect(first?.[15]).toEqual(
      LogValues.vector([
        LogValues.addr("10.0.0.1"),
        LogValues.addr("::ffff:102:304"),
        LogValues.absent("addr"),
      ]),
    );
  });

  it("keeps a secondary name", () => {
    expect(decodeZeekLogBatch(connBytes).fields[18]).toEqual({
      name: "port_name",
      secondaryName: "port_proto",
      type: TypeTag.PORT,
      subtype: TypeTag.VOID,
      optional: false,
    });
  });
});

describe("property-based round trips", () => {
  it("any value encodes and decodes to itself, and re-encodes to the same bytes", () => {
    fc.assert(
      fc.property(logValue, (value) => {
        const bytes = encodeZeekLogValue(value);
        const decoded = decodeZeekLogValue(bytes);
        expect(decoded).toEqual(value);
        expect(hex(encodeZeekLogValue(decoded))).toBe(hex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("any batch encodes and decodes to itself, and re-encodes to the same bytes", () => {
    fc.assert(
      fc.property(logBatch, (batch) => {
        const bytes = encodeZeekLogBatch(batch);
        const decoded = decodeZeekLogBatch(bytes);
        expect(decoded).toEqual({ ...batch, trailingBytes: 0 });
        expect(hex(encodeZeekLogBatch(decoded))).toBe(hex(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("random bytes only ever fail with a DecodeError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decode of [decodeZeekLogBatch, decodeZeekLogValue]) {
          try {
            decode(bytes);
          } catch (err) {
            expect(DecodeError.isDecodeError(err), String(err)).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/** The conn batch's bytes with `at` replaced by `replacement` (both hex, `at` must occur once). */
function patched(at: string, replacement: string): Uint8Array {
  const text = hex(connBytes);
  const index = text.indexOf(at);
  expect(index, `${at} not found`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(at, index + 1), `${at} found twice`).toBe(-1);
  return unhex(text.slice(0, index) + replacement + text.slice(index + at.length));
}

/** A one-column batch of one record holding `valueHex`, the column typed `type`. */
function oneValueBatch(type: number, valueHex: string): Uint8Array {
  const field = `00${str("c")}${type.toString(16).padStart(8, "0")}0000000000`;
  return unhex(`${HEADER}00000001${field}00000001${valueHex}`);
}

describe("bad input", () => {
  it("a batch truncated at every byte boundary fails with a DecodeError", () => {
    for (let length = 0; length < connBytes.length; length++) {
      const err = decodeError(() => decodeZeekLogBatch(connBytes.subarray(0, length)));
      expect(["truncated", "bad_length"], `length ${length}: ${err.message}`).toContain(err.reason);
    }
  });

  const table: [string, () => unknown, DecodeReason, number?][] = [
    [
      "stream name length past the end",
      () => decodeZeekLogBatch(unhex(`0000ffff${"41".repeat(8)}`)),
      "bad_length",
      0,
    ],
    ["stream name length -1", () => decodeZeekLogBatch(unhex("ffffffff41")), "bad_length", 0],
    ["stream name not UTF-8", () => decodeZeekLogBatch(unhex("00000001ff")), "bad_value", 0],
    [
      "value string length past the end",
      () => decodeZeekLogValue(unhex("00000007000000000100000005414243")),
      "bad_length",
      9,
    ],
    [
      "value string length 0x7fffffff",
      () => decodeZeekLogValue(unhex("0000000700000000017fffffff")),
      "bad_length",
      9,
    ],
    ["addr family 3", () => decodeZeekLogValue(unhex("0000000b00000000010301020304")), "bad_value", 9],
    ["addr family 0", () => decodeZeekLogValue(unhex("0000000b00000000010001020304")), "bad_value", 9],
    ["subnet family 5", () => decodeZeekLogValue(unhex("0000000c0000000001200501020304")), "bad_value", 10],
    [
      "IPv4 subnet length 95",
      () => decodeZeekLogValue(unhex("0000000c00000000015f040a000000")),
      "bad_value",
      9,
    ],
    [
      "IPv4 subnet length 129",
      () => decodeZeekLogValue(unhex("0000000c000000000181040a000000")),
      "bad_value",
      9,
    ],
    [
      "IPv6 subnet length 129",
      () => decodeZeekLogValue(unhex(`0000000c00000000018106${"00".repeat(16)}`)),
      "bad_value",
      9,
    ],
    [
      "port 65536",
      () => decodeZeekLogValue(unhex("0000000a0000000001000000000001000000000001")),
      "bad_value",
      9,
    ],
    [
      "port protocol 4",
      () => decodeZeekLogValue(unhex("0000000a 00000000 01 0000000000000050 00000004")),
      "bad_value",
      17,
    ],
    [
      "port protocol -1",
      () => decodeZeekLogValue(unhex("0000000a 00000000 01 0000000000000050 ffffffff")),
      "bad_value",
      17,
    ],
    [
      "bool value 2",
      () => decodeZeekLogValue(unhex("00000001 00000000 01 0000000000000002")),
      "bad_value",
      9,
    ],
    ["truncated double", () => decodeZeekLogValue(unhex("00000004 00000000 01 3ff00000")), "truncated", 9],
    ["present byte 2", () => decodeZeekLogValue(unhex("000000070000000002")), "bad_value", 8],
    ["set size -1", () => decodeZeekLogValue(unhex("0000000e0000000001ffffffffffffffff")), "bad_length", 9],
    ["set size 2^62", () => decodeZeekLogValue(unhex("0000000e00000000014000000000000000")), "bad_length", 9],
    [
      "vector of 2 with one element",
      () => decodeZeekLogValue(unhex("000000130000000001000000000000000200000007000000000100000000")),
      "bad_length",
      9,
    ],
    ["enum name not UTF-8", () => decodeZeekLogValue(unhex("00000009000000000100000001ff")), "bad_value", 9],
    [
      "a value with bytes after it",
      () => decodeZeekLogValue(unhex("00000007000000000000")),
      "trailing_bytes",
      9,
    ],
    [
      "field count 2^32-1",
      () => decodeZeekLogBatch(unhex(`${HEADER}ffffffff${"00".repeat(10)}`)),
      "bad_length",
    ],
    ["records without fields", () => decodeZeekLogBatch(unhex(`${HEADER}00000000ffffffff`)), "bad_value"],
    [
      "field have_2nd byte 7",
      () => decodeZeekLogBatch(unhex(`${HEADER}00000001 07${"00".repeat(13)}`)),
      "bad_value",
    ],
    [
      "a count in a string column",
      () => decodeZeekLogBatch(oneValueBatch(TypeTag.STRING, "00000003 00000000 01 00000000000000ff")),
      "bad_value",
    ],
  ];
  it.each(table)("%s", (_name, run, reason, offset) => {
    expectDecodeError(run, reason, offset);
  });

  it("unknown and unsupported type tags of present values fail; Zeek's reader rejects these too", () => {
    const unsupported = [
      TypeTag.VOID,
      TypeTag.PATTERN,
      TypeTag.ANY,
      TypeTag.RECORD,
      TypeTag.LIST,
      TypeTag.OPAQUE,
      TypeTag.TYPE,
      TypeTag.ERROR,
      23,
      255,
      -1,
    ];
    for (const tag of unsupported) {
      const tagHex = (tag >>> 0).toString(16).padStart(8, "0");
      expectDecodeError(
        () => decodeZeekLogValue(unhex(`${tagHex}0000000001${"00".repeat(16)}`)),
        "bad_tag",
        0,
      );
      // Unset, the same tag is accepted: Zeek returns before looking at it.
      expect(decodeZeekLogValue(unhex(`${tagHex}0000000000`))).toEqual({ present: false, tag, subtype: 0 });
    }
  });

  it("a value whose type differs from its column fails by default and is accepted on request", () => {
    const ts = hex(encodeZeekLogValue(LogValues.time(1_700_000_000.123456)));
    const mismatched = patched(ts, `00000004${ts.slice(8)}`);
    const err = expectDecodeError(() => decodeZeekLogBatch(mismatched), "bad_value");
    expect(err.message).toContain("'ts'");
    const lenient = decodeZeekLogBatch(mismatched, { checkValueTypes: false });
    expect(lenient.records[0]?.[0]).toEqual(LogValues.double(1_700_000_000.123456));
    // An unset value counts as well: Zeek sends it with the column's tag.
    expectDecodeError(() => decodeZeekLogBatch(oneValueBatch(7, "000000030000000000")), "bad_value");
    expect(decodeZeekLogBatch(oneValueBatch(7, "000000070000000000")).records).toEqual([
      [LogValues.absent("string")],
    ]);
  });

  it("never checks subtypes or element types, as Zeek does not", () => {
    const batch = decodeZeekLogBatch(
      oneValueBatch(TypeTag.VECTOR, "00000013000000ff01000000000000000100000003000000000100000000000000ff"),
    );
    expect(batch.records[0]?.[0]).toEqual({ ...LogValues.vector([LogValues.count(255)]), subtype: 255 });
  });

  it("a nesting bomb fails at the depth limit without deep recursion", () => {
    const levels = 100_000;
    const bomb = unhex(`${"000000130000000001 0000000000000001".repeat(levels)}000000130000000000`);
    expectDecodeError(() => decodeZeekLogValue(bomb), "too_deep", 17 * MAX_LOG_DEPTH);
    expectDecodeError(() => decodeZeekLogValue(bomb, { maxDepth: 2 }), "too_deep", 17 * 2);
    const deepest = encodeZeekLogValue(nestedVector(MAX_LOG_DEPTH - 1));
    expect(decodeZeekLogValue(deepest)).toEqual(nestedVector(MAX_LOG_DEPTH - 1));
    expect(() => encodeZeekLogValue(nestedVector(MAX_LOG_DEPTH))).toThrow(EncodeError);
  });

  it("a batch claiming 2^32-1 records with 10 bytes left fails fast, before allocating", () => {
    const bytes = vectorBytes("zmqc/zeek-bin-serializer/record-count-bomb");
    // It fails at the count itself (the offset says so), before any record is read or any array sized by it.
    const err = expectDecodeError(() => decodeZeekLogBatch(bytes), "bad_length", bytes.length - 14);
    expect(err.message).toContain("4294967295");
  });
});

describe("encoder refusals", () => {
  const refusals: [string, () => unknown][] = [
    [
      "a record with too few values",
      () => encodeZeekLogBatch({ ...connBatch, records: [[LogValues.time(1)]] }),
    ],
    [
      "a value of another type than its column",
      () =>
        encodeZeekLogBatch({
          ...connBatch,
          fields: [logField("ts", "time")],
          records: [[LogValues.double(1)]],
        }),
    ],
    ["records without fields", () => encodeZeekLogBatch({ ...connBatch, fields: [], records: [[]] })],
    ["an int past int64", () => encodeZeekLogValue({ ...LogValues.int(0), value: 1n << 63n })],
    ["a count below 0", () => encodeZeekLogValue({ ...LogValues.count(0), value: -1n })],
    ["port 65536", () => encodeZeekLogValue({ ...LogValues.port(0), number: 65536 })],
    ["an address that is not one", () => encodeZeekLogValue({ ...LogValues.addr("::"), value: "nope" })],
    ["an IPv4 subnet /33", () => encodeZeekLogValue({ ...LogValues.subnet("10.0.0.0/8"), length: 33 })],
    ["a subtype past int32", () => encodeZeekLogValue({ ...LogValues.bool(true), subtype: 2 ** 31 })],
    ["LogValues.port(70000)", () => LogValues.port(70000)],
    ["LogValues.addr('1.2.3')", () => LogValues.addr("1.2.3")],
    ["LogValues.subnet('10.0.0.0')", () => LogValues.subnet("10.0.0.0")],
    ["logField set without an element type", () => logField("s", "set")],
  ];
  it.each(refusals)("%s", (_name, run) => {
    expect(run).toThrow(EncodeError);
  });
});

/** A small deterministic PRNG (mulberry32), so a failing mutation can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  let out = Array.from(bytes);
  const at = () => Math.floor(random() * (out.length + 1));
  const operations = 1 + Math.floor(random() * 4);
  for (let i = 0; i < operations; i++) {
    const where = Math.min(at(), Math.max(0, out.length - 1));
    switch (Math.floor(random() * 6)) {
      case 0:
        out[where] = (out[where] ?? 0) ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        out[where] = Math.floor(random() * 256);
        break;
      case 2:
        out.splice(where, 0, ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => random() * 256));
        break;
      case 3:
        out.splice(where, 1 + Math.floor(random() * 16));
        break;
      case 4:
        out = out.slice(0, where);
        break;
      default: {
        const word = [
          [0xff, 0xff, 0xff, 0xff],
          [0x7f, 0xff, 0xff, 0xff],
          [0x80, 0, 0, 0],
          [0, 0, 0, 0],
        ][Math.floor(random() * 4)] as number[];
        out.splice(where, 4, ...word);
      }
    }
  }
  return Uint8Array.from(out);
}

describe("fuzzing", () => {
  it("3000 mutations of a valid batch: only DecodeError escapes and results re-encode", () => {
    const random = prng(0x5eed);
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      const input = mutate(connBytes, random);
      let batch: ReturnType<typeof decodeZeekLogBatch>;
      try {
        batch = decodeZeekLogBatch(input);
      } catch (err) {
        if (!DecodeError.isDecodeError(err)) throw new Error(`mutation ${i} (${hex(input)}): ${String(err)}`);
        continue;
      }
      decoded++;
      // Whatever the decoder accepts, the encoder can write back, and it reads the same again.
      expect(decodeZeekLogBatch(encodeZeekLogBatch(batch))).toEqual({ ...batch, trailingBytes: 0 });
    }
    expect(decoded).toBeGreaterThan(0);
  });
});
