import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf, vectors } from "../../test/vectors.js";
import { DecodeError } from "../errors.js";
import { LogValues, logField } from "./build.js";
import { decodeZeekLogBatch } from "./decode.js";
import { encodeZeekLogBatch } from "./encode.js";
import { type LogBatch, type LogValue, TypeTag } from "./model.js";
import { decodeZeekLogRows, decodeZeekLogView, type LogCell, type LogRows } from "./rows.js";
import { logBatch } from "./test-arbitraries.js";

/** What a typed value becomes as a plain cell (the rows decoder's documented mapping). */
function cellOf(value: LogValue): LogCell {
  if (!value.present) return null;
  switch (value.type) {
    case "int":
    case "count": {
      const n = value.value;
      return n <= BigInt(Number.MAX_SAFE_INTEGER) + 1n && n >= -(BigInt(Number.MAX_SAFE_INTEGER) + 1n)
        ? Number(n)
        : n;
    }
    case "enum":
      return value.name;
    case "port":
      return value.number;
    case "subnet":
      return `${value.address}/${value.length}`;
    case "set":
    case "vector":
      return value.elements.map(cellOf);
    default:
      return value.value;
  }
}

function withoutTypeErrors(bytes: Uint8Array): boolean {
  try {
    decodeZeekLogBatch(bytes);
    return true;
  } catch {
    return false;
  }
}

describe("decodeZeekLogRows", () => {
  it("reads every captured and upstream batch as the typed decoder does", () => {
    for (const vector of vectors({ kind: "log-batch" })) {
      const bytes = bytesOf(vector);
      if (vector.expect === "reject") {
        expect(() => decodeZeekLogRows(bytes), vector.id).toThrow();
        continue;
      }
      const typed = decodeZeekLogBatch(bytes);
      const plain = decodeZeekLogRows(bytes);
      expect(plain.rows, vector.id).toEqual(typed.records.map((record) => record.map(cellOf)));
      expect({ ...plain, rows: undefined }).toEqual({ ...typed, records: undefined, rows: undefined });
    }
  });

  it("agrees with the typed decoder on every batch, and fails exactly where it fails", () => {
    fc.assert(
      fc.property(logBatch, (batch) => {
        const bytes = encodeZeekLogBatch(batch);
        if (!withoutTypeErrors(bytes)) {
          expect(() => decodeZeekLogRows(bytes)).toThrow(expect.objectContaining({ code: "DECODE" }));
          return;
        }
        expect(decodeZeekLogRows(bytes).rows).toEqual(batch.records.map((record) => record.map(cellOf)));
      }),
      { numRuns: 300 },
    );
  });

  it("only DecodeError escapes, on any damage", () => {
    fc.assert(
      fc.property(logBatch, fc.nat(), fc.integer({ min: 0, max: 255 }), (batch, at, byte) => {
        const bytes = Uint8Array.from(encodeZeekLogBatch(batch));
        if (bytes.length > 0) bytes[at % bytes.length] = byte;
        for (const input of [bytes, bytes.subarray(0, at % (bytes.length + 1))]) {
          try {
            decodeZeekLogRows(input);
          } catch (error) {
            expect(DecodeError.isDecodeError(error)).toBe(true);
          }
        }
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it("refuses a value under a column with a negative type tag as the typed decoder does, unless their tags match", () => {
    // One column "x" and one record; the column's type (at 30) and the value's tag (at 43) are then overwritten.
    const batch = (columnType: number, valueTag: number, present: boolean) => {
      const bytes = Uint8Array.from(
        encodeZeekLogBatch({
          stream: "s",
          writer: "w",
          filter: "f",
          path: "p",
          fields: [logField("x", "string")],
          records: [[present ? LogValues.string("a") : LogValues.absent("string")]],
        }),
      );
      // 4 one-byte strings (20 bytes), the field count (4), have_2nd (1), the name (5): the type; then its
      // subtype (4), optional (1) and the record count (4): the value's tag.
      const view = new DataView(bytes.buffer);
      view.setInt32(30, columnType);
      view.setInt32(43, valueTag);
      return bytes;
    };
    const reasonOf = (decode: () => unknown) => {
      try {
        decode();
        return "accepted";
      } catch (error) {
        if (!DecodeError.isDecodeError(error)) throw error;
        return error.reason;
      }
    };
    const decoders = [
      (bytes: Uint8Array) => decodeZeekLogBatch(bytes),
      (bytes: Uint8Array) => decodeZeekLogRows(bytes),
      (bytes: Uint8Array) => decodeZeekLogView(bytes),
    ];
    for (const type of [-1, -3, -0x8000_0000]) {
      const refused = [
        batch(type, TypeTag.STRING, true),
        batch(type, TypeTag.STRING, false),
        batch(type, type + 1, false),
      ];
      for (const bytes of refused)
        for (const decode of decoders) expect(reasonOf(() => decode(bytes))).toBe("bad_value");
      const fits = batch(type, type, false);
      expect(decodeZeekLogBatch(fits).records).toEqual([[LogValues.absent(type)]]);
      expect(decodeZeekLogRows(fits).rows).toEqual([[null]]);
      expect(decodeZeekLogView(fits).toRows().rows).toEqual([[null]]);
    }
  });
});

/** A decoder's result, or the DecodeError it threw (reason, offset and message), for comparing two decoders. */
function outcome(
  decode: () => LogRows,
): LogRows | { error: { reason: string; offset: number; message: string } } {
  try {
    return decode();
  } catch (error) {
    if (!DecodeError.isDecodeError(error)) throw error;
    return { error: { reason: error.reason, offset: error.offset, message: error.message } };
  }
}

const viewRows = (bytes: Uint8Array) => () => decodeZeekLogView(bytes).toRows();
const plainRows = (bytes: Uint8Array) => () => decodeZeekLogRows(bytes);

const sample: LogBatch = {
  stream: "Conn::LOG",
  writer: "Log::WRITER_ASCII",
  filter: "default",
  path: "conn",
  fields: [
    logField("proto", "enum"),
    logField("uid", "string"),
    logField("id.resp_p", "port"),
    logField("ts", "time"),
    logField("tags", "set", { element: "string", optional: true }),
  ],
  records: [
    [
      LogValues.enum("tcp"),
      LogValues.string("CHhAvVGS1DHFjwGM9"),
      LogValues.port(443, "tcp"),
      LogValues.time(1.5),
      LogValues.set([LogValues.string("a"), LogValues.string("b")]),
    ],
    [
      LogValues.enum("udp"),
      LogValues.string(Uint8Array.of(0xff, 0x00)),
      LogValues.port(53, "udp"),
      LogValues.time(2.5),
      LogValues.absent("set"),
    ],
  ],
};
const sampleBytes = encodeZeekLogBatch(sample);

/** The offset of the first occurrence of `text`'s bytes in `bytes`. */
function offsetOf(bytes: Uint8Array, text: string): number {
  const at = Buffer.from(bytes).indexOf(text, 0, "latin1");
  if (at < 0) throw new Error(`'${text}' is not in the bytes`);
  return at;
}

/** The sample batch with the byte at `at` set to `byte`. */
function damaged(at: number, byte: number): Uint8Array {
  const bytes = Uint8Array.from(sampleBytes);
  bytes[at] = byte;
  return bytes;
}

describe("decodeZeekLogView", () => {
  it("reads each cell as decodeZeekLogRows does, in any order and as often as asked", () => {
    const view = decodeZeekLogView(sampleBytes);
    const rows = decodeZeekLogRows(sampleBytes);
    expect(view).toMatchObject({ stream: "Conn::LOG", path: "conn", rowCount: 2, trailingBytes: 0 });
    expect(view.fields).toEqual(rows.fields);
    for (let round = 0; round < 2; round++)
      for (let r = view.rowCount - 1; r >= 0; r--)
        for (let c = view.fields.length - 1; c >= 0; c--) expect(view.cell(r, c)).toEqual(rows.rows[r]?.[c]);
    expect(view.row(1)).toEqual(rows.rows[1]);
    expect(view.toRows()).toEqual(rows);
  });

  it("tells set from unset cells without decoding them", () => {
    const view = decodeZeekLogView(sampleBytes);
    expect([view.isSet(0, 4), view.isSet(1, 4), view.isSet(1, 1)]).toEqual([true, false, true]);
  });

  it("gives the raw bytes of string-like cells as a view into the batch, and nothing for other cells", () => {
    const view = decodeZeekLogView(sampleBytes);
    const uid = view.bytes(0, 1) as Uint8Array;
    expect(Buffer.from(uid).toString("latin1")).toBe("CHhAvVGS1DHFjwGM9");
    expect(uid.buffer).toBe(sampleBytes.buffer);
    expect(view.bytes(1, 1)).toEqual(Uint8Array.of(0xff, 0x00));
    expect(view.bytes(0, 0)).toEqual(Uint8Array.from(Buffer.from("tcp")));
    expect([view.bytes(0, 2), view.bytes(0, 3), view.bytes(0, 4), view.bytes(1, 4)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("throws a RangeError for a row or column that is not there", () => {
    const view = decodeZeekLogView(sampleBytes);
    for (const [r, c] of [
      [2, 0],
      [-1, 0],
      [0.5, 0],
      [0, 5],
      [0, -1],
      [Number.NaN, 0],
    ] as const) {
      expect(() => view.cell(r, c)).toThrow(RangeError);
      expect(() => view.isSet(r, c)).toThrow(RangeError);
      expect(() => view.bytes(r, c)).toThrow(RangeError);
    }
    expect(() => view.row(2)).toThrow(RangeError);
  });

  it("refuses malformed batches when made, with the error decodeZeekLogRows gives", () => {
    const uidAt = offsetOf(sampleBytes, "CHhAv");
    const cases: [string, Uint8Array, string][] = [
      ["records cut short", sampleBytes.subarray(0, uidAt + 3), "bad_length"],
      ["the last value header cut short", sampleBytes.subarray(0, sampleBytes.length - 3), "truncated"],
      ["a present byte that is not 0 or 1", damaged(uidAt - 5, 2), "bad_value"],
      ["a value of another type than its column", damaged(uidAt - 10, TypeTag.FILE), "bad_value"],
      ["an enum name that is not UTF-8", damaged(offsetOf(sampleBytes, "udp"), 0xff), "bad_value"],
      ["a port over 65535", damaged(uidAt + 17 + 9 + 5, 1), "bad_value"],
      ["a string length past the end", damaged(uidAt - 4, 0x7f), "bad_length"],
    ];
    for (const [name, bytes, reason] of cases) {
      const expected = outcome(plainRows(bytes));
      expect(expected, name).toMatchObject({ error: { reason } });
      expect(outcome(viewRows(bytes)), name).toEqual(expected);
      expect(() => decodeZeekLogView(bytes), name).toThrow(DecodeError);
    }
  });

  it("reads every captured and upstream batch as decodeZeekLogRows does, and refuses the same ones", () => {
    for (const vector of vectors({ kind: "log-batch" })) {
      const bytes = bytesOf(vector);
      expect(outcome(viewRows(bytes)), vector.id).toEqual(outcome(plainRows(bytes)));
    }
  });

  it("agrees with decodeZeekLogRows on every batch, set or not, and on string bytes", () => {
    fc.assert(
      fc.property(logBatch, (batch) => {
        const bytes = encodeZeekLogBatch(batch);
        const expected = outcome(plainRows(bytes));
        expect(outcome(viewRows(bytes))).toEqual(expected);
        if ("error" in expected) return;
        const view = decodeZeekLogView(bytes);
        for (let r = 0; r < view.rowCount; r++) {
          for (let c = 0; c < view.fields.length; c++) {
            const cell = expected.rows[r]?.[c] as LogCell;
            expect(view.isSet(r, c)).toBe(cell !== null);
            const raw = view.bytes(r, c);
            if (raw === undefined) continue;
            expect(typeof cell === "string" ? Buffer.from(raw).toString("utf8") : raw).toEqual(cell);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fails exactly where decodeZeekLogRows fails on any damage, with only DecodeError", () => {
    fc.assert(
      fc.property(logBatch, fc.nat(), fc.integer({ min: 0, max: 255 }), (batch, at, byte) => {
        const bytes = Uint8Array.from(encodeZeekLogBatch(batch));
        if (bytes.length > 0) bytes[at % bytes.length] = byte;
        for (const input of [bytes, bytes.subarray(0, at % (bytes.length + 1))])
          expect(outcome(viewRows(input))).toEqual(outcome(plainRows(input)));
      }),
      { numRuns: 1000, seed: 12 },
    );
  });
});
