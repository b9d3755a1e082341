// The fast encoder (encode.ts) against the checked reference encoder (encode-checked.ts, the encoder as it was):
// the same bytes for every batch and value, and the same error for every one either refuses.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogValues, logField } from "./build.js";
import { MAX_LOG_DEPTH } from "./decode.js";
import { encodeZeekLogBatch, encodeZeekLogValue } from "./encode.js";
import { encodeZeekLogBatchChecked, encodeZeekLogValueChecked } from "./encode-checked.js";
import type { LogBatch, LogField, LogValue } from "./model.js";
import { logBatch, logValue, nestedVector, subtype } from "./test-arbitraries.js";

/** The bytes an encoder gives, as hex, or what it threw (class, message and reason). */
function outcome(encode: () => Uint8Array): { hex: string } | { error: Record<string, unknown> } {
  try {
    return { hex: Buffer.from(encode()).toString("hex") };
  } catch (error) {
    const { name, message, reason } = error as { name: string; message: string; reason?: string };
    return { error: { name, message, reason } };
  }
}

function sameAsChecked(batch: LogBatch): void {
  const expected = outcome(() => encodeZeekLogBatchChecked(batch));
  expect(outcome(() => encodeZeekLogBatch(batch))).toEqual(expected);
}

function sameValueAsChecked(value: LogValue): void {
  expect(outcome(() => encodeZeekLogValue(value))).toEqual(outcome(() => encodeZeekLogValueChecked(value)));
}

/** A batch of one column of `field` holding `values`, one record each. */
function columnBatch(field: LogField, values: readonly LogValue[]): LogBatch {
  return {
    stream: "Conn::LOG",
    writer: "Log::WRITER_ASCII",
    filter: "default",
    path: "conn",
    fields: [field],
    records: values.map((value) => [value]),
  };
}

const TWO_53 = 2n ** 53n;
/** Integers around the points where the fast path changes: 0, ±2^32, ±2^53, ±2^63, 2^64. */
const edges = (points: readonly bigint[]) =>
  fc.oneof(
    fc.constantFrom(...points).chain((point) => fc.bigInt({ min: point - 3n, max: point + 3n })),
    fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
  );
const intEdges = edges([0n, 2n ** 32n, -(2n ** 32n), TWO_53, -TWO_53, 2n ** 63n, -(2n ** 63n)]);
const countEdges = edges([0n, 2n ** 32n, TWO_53, 2n ** 63n, 2n ** 64n]);

/** Any double, NaNs with any payload included. */
const anyDouble = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((bits) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
});

/** Text of every kind: ASCII, non-ASCII, lone surrogates, long, empty. */
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "é", "\ud800", "a\udc00", "😀", "\u0000", "x".repeat(1000), `${"é".repeat(30)}a`),
);

/** Address text in many spellings, valid or not: IPv4 (leading zeros too), IPv6, IPv4-mapped, broken. */
const addressText = fc.oneof(
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.ipV4().map((v4) => `::ffff:${v4}`),
  fc.ipV4().map((v4) => `::${v4}`),
  fc.tuple(fc.nat(999), fc.nat(999), fc.nat(999), fc.nat(999)).map((octets) => octets.join(".")),
  fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.map((o) => String(o).padStart(3, "0")).join(".")),
  fc.constantFrom(
    "::ffff:102:304",
    "::",
    "1.2.3",
    "1.2.3.4.5",
    "1..2.3",
    ".1.2.3",
    "1.2.3.",
    "1.2.3.4 ",
    "0001.2.3.4",
    "１.2.3.4",
    "",
    "fe80::1%eth0",
  ),
);

/** Values and fields that are wrong somewhere (each encoder must refuse them the same way), and right ones. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  intEdges.map((value) => ({ type: "int", present: true, subtype: 0, value })),
  countEdges.map((value) => ({ type: "count", present: true, subtype: 0, value })),
  fc.integer().map((value) => ({ type: "count", present: true, subtype: 0, value })),
  fc
    .tuple(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom("tcp", "udp", "icmp", "unknown", "sctp", ""))
    .map(([number, protocol]) => ({ type: "port", present: true, subtype: 0, number, protocol })),
  fc
    .constantFrom(0.5, Number.NaN, -1, 65536)
    .map((number) => ({ type: "port", present: true, subtype: 0, number, protocol: "tcp" })),
  addressText.map((value) => ({ type: "addr", present: true, subtype: 0, value })),
  fc
    .tuple(addressText, fc.integer({ min: -1, max: 130 }))
    .map(([address, length]) => ({ type: "subnet", present: true, subtype: 0, address, length })),
  fc
    .constantFrom(2 ** 31, -(2 ** 31) - 1, 0.5, Number.NaN, "1", undefined, -0)
    .map((st) => ({ type: "string", present: true, subtype: st, value: "x" })),
  fc.constantFrom(2 ** 31, 0.5, "7", -0).map((tag) => ({ present: false, tag, subtype: 0 })),
  fc.constantFrom(
    { type: "pattern", present: true, subtype: 0, value: "x" },
    { type: "toString", present: true, subtype: 0, value: "x" },
    { type: "string", present: true, subtype: 0, value: 5 },
    { type: "string", present: true, subtype: 0, value: [104, 105] },
    { type: "enum", present: true, subtype: 0, name: Uint8Array.of(0x61) },
    { type: "double", present: true, subtype: 0, value: "1.5" },
    { type: "time", present: true, subtype: 0, value: 1n },
    { type: "bool", present: true, subtype: 0, value: "yes" },
    { type: "string", present: 1, subtype: 0, value: "x" },
    { type: "set", present: true, subtype: 0, elements: [undefined] },
    { type: "vector", present: true, subtype: 0, elements: { length: 0 } },
    null,
    undefined,
    7,
  ),
  fc.constant(nestedVector(MAX_LOG_DEPTH - 1)),
  fc.constant(nestedVector(MAX_LOG_DEPTH)),
  fc.constant(nestedVector(MAX_LOG_DEPTH + 1)),
);

describe("encodeZeekLogBatch (fast) against the checked encoder", () => {
  it("gives the same bytes for every batch", () => {
    fc.assert(fc.property(logBatch, sameAsChecked), { numRuns: 500 });
  });

  it("gives the same bytes for every value, at any nesting and subtype", () => {
    fc.assert(fc.property(logValue, sameValueAsChecked), { numRuns: 500 });
  });

  it("writes strings the same: non-ASCII, lone surrogates, empty, long, and bytes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(anyText, fc.uint8Array({ maxLength: 40 })), { maxLength: 8 }),
        anyText,
        (texts, name) => {
          sameAsChecked({
            ...columnBatch(logField(name, "string"), texts.map(LogValues.string)),
            stream: name,
            path: name,
          });
          sameAsChecked(
            columnBatch(
              logField("e", "enum"),
              texts.filter((t) => typeof t === "string").map(LogValues.enum),
            ),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes counts and ints the same around 2^32, 2^53, 2^63 and 2^64, negative ints included", () => {
    fc.assert(
      fc.property(
        fc.array(countEdges, { maxLength: 6 }),
        fc.array(intEdges, { maxLength: 6 }),
        (counts, ints) => {
          for (const value of counts) sameValueAsChecked({ type: "count", present: true, subtype: 0, value });
          for (const value of ints) sameValueAsChecked({ type: "int", present: true, subtype: 0, value });
          const inRange = (min: bigint, max: bigint) => (n: bigint) => n >= min && n <= max;
          sameAsChecked(
            columnBatch(
              logField("c", "count"),
              counts.filter(inRange(0n, 2n ** 64n - 1n)).map(LogValues.count),
            ),
          );
          sameAsChecked(
            columnBatch(
              logField("i", "int"),
              ints.filter(inRange(-(2n ** 63n), 2n ** 63n - 1n)).map(LogValues.int),
            ),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes doubles the same, -0, infinities and NaN payloads included", () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { maxLength: 8 }), (doubles) => {
        for (const type of ["double", "time", "interval"] as const)
          sameAsChecked(
            columnBatch(
              logField("d", type),
              doubles.map((value) => ({ type, present: true, subtype: 0, value }) as LogValue),
            ),
          );
      }),
      { numRuns: 300 },
    );
  });

  it("writes addresses and subnets the same: IPv4, IPv6, IPv4-mapped, any spelling", () => {
    fc.assert(
      fc.property(addressText, fc.integer({ min: 0, max: 128 }), (text, length) => {
        sameValueAsChecked({ type: "addr", present: true, subtype: 0, value: text });
        sameValueAsChecked({ type: "subnet", present: true, subtype: 0, address: text, length });
      }),
      { numRuns: 1000 },
    );
  });

  it("writes sets and vectors the same, elements of any type unchecked", () => {
    fc.assert(
      fc.property(
        fc.array(logValue, { maxLength: 5 }),
        fc.constantFrom("set", "vector" as const),
        (elements, kind) => {
          const container = kind === "set" ? LogValues.set(elements) : LogValues.vector(elements);
          sameAsChecked(columnBatch(logField("c", kind, { element: "string", optional: true }), [container]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses the same values, with the same error, and takes the same odd ones", () => {
    fc.assert(
      fc.property(
        oddValue,
        fc.constantFrom(...(["int", "count", "port", "addr", "subnet", "string", "set"] as const)),
        (value, type) => {
          sameValueAsChecked(value as LogValue);
          const field =
            type === "set" ? logField("x", "set", { element: "string" }) : logField("x", type as "string");
          sameAsChecked(columnBatch(field, [LogValues.absent(type), value as LogValue]));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses the same batches: type mismatches, record lengths, fields, headers", () => {
    const good = columnBatch(logField("s", "string"), [LogValues.string("a")]);
    const cases: unknown[] = [
      { ...good, records: [[LogValues.count(1)]] },
      { ...good, records: [[LogValues.absent("count")]] },
      { ...good, records: [[]] },
      { ...good, records: [[LogValues.string("a"), LogValues.string("b")]] },
      // A hole: forEach skips it.
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case
      { ...good, records: [, [LogValues.string("a")]] },
      { ...good, records: [undefined] },
      { ...good, fields: [] },
      { ...good, fields: [], records: [] },
      { ...good, fields: [{ ...logField("s", "string"), type: 2 ** 31 }] },
      { ...good, fields: [{ ...logField("s", "string"), subtype: 0.5 }] },
      { ...good, fields: [{ ...logField("s", "string"), secondaryName: "n" }] },
      { ...good, fields: [{ ...logField("s", "string"), secondaryName: null }] },
      { ...good, fields: [{ ...logField("s", "string"), name: Uint8Array.of(0xff) }] },
      { ...good, fields: [{ ...logField("s", "string"), optional: "yes" }] },
      { ...good, stream: Uint8Array.of(0xff, 0) },
      { ...good, path: 7 },
      { ...good, filter: undefined },
      {
        ...good,
        fields: [{ ...logField("s", "string"), type: -3 }],
        records: [[{ present: false, tag: -3, subtype: 0 }]],
      },
    ];
    for (const batch of cases) sameAsChecked(batch as LogBatch);
  });

  it("reuses its buffer without leaking bytes between batches, and survives a batch larger than it keeps", () => {
    const big = columnBatch(logField("s", "string"), [LogValues.string("y".repeat(5 * 1024 * 1024))]);
    const small = columnBatch(logField("s", "string"), [LogValues.string("a")]);
    for (const batch of [small, big, small, big, small]) sameAsChecked(batch);
  });

  it("gives the same bytes when a value's getter encodes another batch meanwhile", () => {
    const inner = columnBatch(logField("s", "string"), [LogValues.string("inner")]);
    let innerBytes: Uint8Array | undefined;
    const value = {
      type: "string",
      present: true,
      subtype: 0,
      get value() {
        innerBytes = encodeZeekLogBatch(inner);
        return "outer";
      },
    } as unknown as LogValue;
    const batch = columnBatch(logField("s", "string"), [value, LogValues.string("after")]);
    const bytes = encodeZeekLogBatch(batch);
    expect(Buffer.from(bytes).toString("hex")).toBe(
      Buffer.from(encodeZeekLogBatchChecked(batch)).toString("hex"),
    );
    expect(innerBytes).toEqual(encodeZeekLogBatchChecked(inner));
  });

  it("hands out a plain Uint8Array the caller owns", () => {
    const batch = columnBatch(logField("s", "string"), [LogValues.string("a")]);
    const first = encodeZeekLogBatch(batch);
    const copy = Uint8Array.from(first);
    encodeZeekLogBatch(columnBatch(logField("t", "string"), [LogValues.string("b")]));
    expect(first).toEqual(copy);
    expect(Object.getPrototypeOf(first)).toBe(Uint8Array.prototype);
  });

  it("gives subtypes any int32", () => {
    fc.assert(
      fc.property(subtype, (st) => sameValueAsChecked({ ...LogValues.string("a"), subtype: st })),
      { numRuns: 200 },
    );
  });
});
