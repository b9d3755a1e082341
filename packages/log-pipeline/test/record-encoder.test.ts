// The sender's record encoder writes zeek-bin-serializer records straight from JavaScript values: the bytes must
// be those of encodeZeekLogBatch(stream.toValues(record)), and a record that does not fit must throw what
// toValues throws, for every column type and for values of every shape a column takes (or refuses).
import { encodeZeekLogBatch, TypeTag } from "@zmqc/wire-format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogStream } from "../src/index.js";
import { flattenColumns } from "../src/sender/columns.js";
import { recordWriters } from "../src/sender/record-encoder.js";
import { zeekRecordEncoder } from "../src/sender/stream.js";
import { ByteSink } from "../src/writers/byte-sink.js";

/** A column of every kind the record encoder writes itself. */
const EVERY_COLUMNS = {
  ts: "time",
  uid: "string",
  id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
  proto: "enum",
  n: { type: "int", optional: true },
  c: { type: "count", optional: true },
  d: { type: "double", optional: true },
  dur: { type: "interval", optional: true },
  ok: { type: "bool", optional: true },
  sn: { type: "subnet", optional: true },
  tags: { type: { set: "string" }, optional: true },
  words: { type: { vector: "string" }, optional: true },
  counts: { type: { vector: "count" }, optional: true },
} as const;

const every = createLogStream({ id: "Every::LOG", path: "every", columns: EVERY_COLUMNS });

/** Both encodings of some records: the batch the encoder's bytes make, and the reference batch (or errors). */
function encodeBoth(records: readonly unknown[]): { fast: string; slow: string } {
  const encoder = zeekRecordEncoder(every);
  if (encoder === undefined) throw new Error("no encoder");
  const sink = new ByteSink(8);
  const header = encodeZeekLogBatch({ ...every, stream: every.id, records: [] });
  const fast: string[] = [];
  const slow: string[] = [];
  const values = [];
  for (const record of records) {
    try {
      encoder.append(record, sink);
      fast.push("ok");
    } catch (error) {
      fast.push(String(error));
    }
    try {
      values.push(every.toValues(record as never));
      slow.push("ok");
    } catch (error) {
      slow.push(String(error));
    }
  }
  const payload = Buffer.concat([header, sink.view()]);
  payload.writeUInt32BE(values.length, header.length - 4);
  const reference = encodeZeekLogBatch({ ...every, stream: every.id, records: values });
  return {
    fast: `${fast.join("|")} ${payload.toString("hex")}`,
    slow: `${slow.join("|")} ${Buffer.from(reference).toString("hex")}`,
  };
}

const anything = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string(),
  fc.date({ noInvalidDate: false }),
  fc.constantFrom("443/tcp", "0053/udp", "8/icmp", "1/unknown", "70000/tcp", "443/sctp", "443", "/tcp"),
  fc.constantFrom("443/ucp", "443/tdp", "443/tcq", "443/TCP", "8/icmq", "1/unknowx", "53/udpx", "53/"),
  fc.constantFrom("10.0.0.1", "010.0.0.1", "256.1.1.1", "::ffff:1.2.3.4", "2001:db8::1", "10.0.0.0/8", "ü"),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant("ü"))),
);

describe("the sender's zeek-bin-serializer record encoder", () => {
  it("writes what encodeZeekLogBatch writes for toValues' values, and throws what toValues throws", () => {
    const good = fc.record({
      ts: fc.oneof(fc.double(), fc.date({ noInvalidDate: false })),
      uid: fc.oneof(fc.string(), fc.string({ unit: "grapheme" })),
      id: fc.record({
        orig_h: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant("::ffff:10.1.2.3")),
        orig_p: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom("443/tcp", "53/udp", "08/icmp")),
        resp_h: fc.ipV4(),
        resp_p: fc.integer({ min: 0, max: 65535 }),
      }),
      proto: fc.constantFrom("tcp", "udp", "icmp"),
      n: fc.option(fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))),
      c: fc.option(fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))),
      d: fc.option(fc.double()),
      dur: fc.option(fc.double()),
      ok: fc.option(fc.boolean()),
      sn: fc.option(fc.constantFrom("10.0.0.0/8", "2001:db8::/32", "::ffff:1.2.3.0/120")),
      tags: fc.option(fc.array(fc.oneof(fc.string(), fc.constant("ü")))),
      words: fc.option(fc.array(fc.string())),
      counts: fc.option(fc.array(fc.maxSafeNat())),
    });
    fc.assert(
      fc.property(fc.array(good, { maxLength: 8 }), (records) => {
        const { fast, slow } = encodeBoth(records);
        expect(fast).toBe(slow);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what toValues refuses, with its error, and keeps the records before it", () => {
    const column = fc.constantFrom(
      "ts",
      "uid",
      "proto",
      "n",
      "c",
      "d",
      "dur",
      "ok",
      "sn",
      "tags",
      "words",
      "counts",
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(column, anything, anything, anything), { maxLength: 6 }), (cases) => {
        const records = cases.map(([name, value, orig_h, orig_p]) => ({
          ts: 1,
          uid: "C",
          id: { orig_h, orig_p, resp_h: "10.0.0.1", resp_p: 80 },
          proto: "tcp",
          [name]: value,
        }));
        const { fast, slow } = encodeBoth(records);
        expect(fast).toBe(slow);
      }),
      { numRuns: 500 },
    );
  });

  it("compiles a writer per stream that writes and refuses exactly what the interpreted writer does", () => {
    const columns = {
      ...EVERY_COLUMNS,
      // Names that are not identifiers reach the generated code as string literals only.
      'we"ird\u2028*/': { type: "string", optional: true },
      ["__proto__"]: { type: "count", optional: true },
    } as const;
    const flat = flattenColumns(columns);
    const { compiled, interpreted } = recordWriters(flat);
    expect(compiled).toBeDefined();
    const names = flat.map((column) => column.path);
    // Mostly values of the column's type (so whole records get written), now and then anything.
    const good: Record<string, fc.Arbitrary<unknown>> = {
      time: fc.oneof(fc.double(), fc.date({ noInvalidDate: false })),
      string: fc.oneof({ arbitrary: fc.string({ unit: "binary-ascii" }), weight: 5 }, fc.string()),
      addr: fc.oneof({ arbitrary: fc.ipV4(), weight: 5 }, fc.ipV4Extended()),
      port: fc.oneof(
        fc.integer({ min: -1, max: 65536 }),
        fc.constantFrom("443/tcp", "53/udp", "8/icmp", "0/unknown", "65536/tcp", "1/sctp"),
      ),
      enum: fc.string({ unit: "binary-ascii" }),
      int: fc.oneof(fc.maxSafeInteger(), fc.integer()),
      count: fc.oneof({ arbitrary: fc.maxSafeNat(), weight: 5 }, fc.integer()),
      double: fc.double(),
      interval: fc.double(),
      bool: fc.boolean(),
      subnet: fc.constantFrom(null, null, null, "10.0.0.0/8"),
      set: fc.array(fc.string({ unit: "binary-ascii" }), { maxLength: 4 }),
      vector: fc.oneof(fc.constant(null), fc.array(fc.string({ unit: "binary-ascii" }), { maxLength: 4 })),
    };
    const kinds = flat.map((column) => {
      const tag = column.field.type;
      const name = Object.entries(TypeTag)
        .find(([, value]) => value === tag)?.[0]
        .toLowerCase();
      return name === "table" ? "set" : (name ?? "");
    });
    const record = fc
      .tuple(
        ...kinds.map((kind) =>
          fc.oneof(
            { arbitrary: good[kind] ?? anything, weight: 40 },
            { arbitrary: fc.constantFrom(null, undefined), weight: 3 },
            { arbitrary: anything, weight: 1 },
          ),
        ),
      )
      .map((values) => {
        const out: Record<string, unknown> = { id: {} };
        values.forEach((v, i) => {
          const path = names[i] as string[];
          if (path.length === 2) (out.id as Record<string, unknown>)[path[1] as string] = v;
          else Object.defineProperty(out, path[0] as string, { value: v, enumerable: true });
        });
        return out;
      });
    let written = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: record, weight: 9 }, anything), fc.nat(40), (input, prefix) => {
        // A sink that already holds bytes and has to grow while writing.
        const a = new ByteSink(8);
        const b = new ByteSink(8);
        a.reserve(prefix);
        b.reserve(prefix);
        a.length = prefix;
        b.length = prefix;
        a.buffer.fill(0, 0, prefix);
        b.buffer.fill(0, 0, prefix);
        const fast = compiled?.(input, a);
        const slow = interpreted(input, b);
        expect(fast).toBe(slow);
        if (slow) {
          written++;
          expect(a.view().toString("hex")).toBe(b.view().toString("hex"));
        }
      }),
      { numRuns: 2000 },
    );
    // Whole records were written, not only refused.
    expect(written).toBeGreaterThan(50);
  });
});
