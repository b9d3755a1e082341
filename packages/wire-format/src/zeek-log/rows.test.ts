import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf, vectors } from "../../test/vectors.js";
import { DecodeError } from "../errors.js";
import { decodeZeekLogBatch } from "./decode.js";
import { encodeZeekLogBatch } from "./encode.js";
import type { LogValue } from "./model.js";
import { decodeZeekLogRows, type LogCell } from "./rows.js";
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
});
