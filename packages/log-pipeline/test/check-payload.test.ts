// checkZeekLogPayload (the logger's one-pass check) must accept exactly the batches the wire-format decoders
// accept: every truncation and many single-byte changes of batches holding every column type (the writer
// fixtures: sets, vectors, IPv6, subnets, enums, funcs, huge counts), compared with decodeZeekLogView; with the
// records check compiled for the batch's column types and without.
import { decodeZeekLogView, encodeZeekLogBatch, type LogField, type LogValue } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { checkedPayloadBatch, checkZeekLogPayload } from "../src/receiver/check-payload.js";
import { FIRST_FIELDS, FIRSTS, LOG_FIELDS, makeFirst, makeInfo } from "./support/writers-records.js";

const batchOf = (fields: readonly LogField[], records: LogValue[][]): Uint8Array =>
  encodeZeekLogBatch({
    stream: "X::LOG",
    writer: "Log::WRITER_ASCII",
    filter: "default",
    path: "x",
    fields,
    records,
  });

/** The reference's verdict: the error message, or "ok". */
function verdict(check: (bytes: Uint8Array) => unknown, bytes: Uint8Array): string {
  try {
    check(bytes);
    return "ok";
  } catch (error) {
    return (error as Error).message;
  }
}

const GOOD = [
  batchOf(LOG_FIELDS, [makeInfo(2), makeInfo(3)]),
  batchOf(
    FIRST_FIELDS,
    FIRSTS.slice(0, 3).map((_, i) => makeFirst(i)),
  ),
];

describe("checkZeekLogPayload", () => {
  it("accepts good batches and reads their header as the view does", () => {
    for (const bytes of GOOD) {
      const checked = checkZeekLogPayload(bytes);
      const view = decodeZeekLogView(bytes);
      expect({ ...checked, view: undefined }).toMatchObject({
        stream: view.stream,
        writer: view.writer,
        filter: view.filter,
        path: view.path,
        fields: view.fields,
        rowCount: view.rowCount,
      });
      expect(checked.recordsAt).toBeGreaterThan(0);
      expect(checkedPayloadBatch(bytes).view.toRows()).toEqual(view.toRows());
    }
  });

  it("refuses exactly what decodeZeekLogView refuses, with its error: truncations and byte changes", () => {
    let refused = 0;
    let cases = 0;
    for (const good of GOOD) {
      const variants: Uint8Array[] = [];
      for (let at = 0; at < good.length; at++) variants.push(good.subarray(0, at));
      for (let at = 0; at < good.length; at++) {
        for (const value of [0x00, 0x01, 0x04, 0x06, 0x7f, 0xff]) {
          if (good[at] === value) continue;
          const copy = Uint8Array.from(good);
          copy[at] = value;
          variants.push(copy);
        }
      }
      for (const bytes of variants) {
        const expected = verdict(decodeZeekLogView, bytes);
        expect(verdict(checkZeekLogPayload, bytes)).toBe(expected);
        // The records check compiled per column types and the interpreted one: the same verdicts.
        expect(verdict((b) => checkZeekLogPayload(b, false), bytes)).toBe(expected);
        cases++;
        if (expected !== "ok") refused++;
      }
    }
    expect(refused).toBeGreaterThan(cases / 4);
  });
});
