// ZeekTsvFormat.writePayload (the logger's path: TSV written straight from a checked zeek-bin-serializer batch's
// bytes) must write exactly what formatCells writes for the same batch's rows, for every value the writer tests
// know (writers-records.ts: escaping, markers, NaN signs, IPv6, subnets, sets, huge counts, lines that start with
// the meta prefix), every format option that changes the output, and random values.
import {
  decodeZeekLogRows,
  decodeZeekLogView,
  encodeZeekLogBatch,
  type LogField,
  type LogValue,
  LogValues,
  logField,
} from "@zmqc/wire-format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteSink, formatBatch, payloadBatch, type TsvFormatOptions, ZeekTsvFormat } from "../src/index.js";
import { checkedPayloadBatch } from "../src/receiver/check-payload.js";
import {
  FIRST_FIELDS,
  FIRSTS,
  LOG_FIELDS,
  makeFirst,
  makeInfo,
  RECORDS,
  STRINGS,
} from "./support/writers-records.js";

const batchOf = (fields: readonly LogField[], records: LogValue[][]): Uint8Array =>
  encodeZeekLogBatch({
    stream: "X::LOG",
    writer: "Log::WRITER_ASCII",
    filter: "default",
    path: "x",
    fields,
    records,
  });

/** The payload path's bytes and formatCells' bytes for one encoded batch. */
function both(
  format: ZeekTsvFormat,
  payload: Uint8Array,
  sink = new ByteSink(16),
): { fast: string; slow: string } {
  sink.reset();
  expect(format.writePayload(payloadBatch(decodeZeekLogView(payload), payload), sink)).toBe(true);
  const fromView = sink.view().toString("latin1");
  // The logger's own check (the view made only for cells the writer leaves to the formatter) writes the same.
  sink.reset();
  expect(format.writePayload(checkedPayloadBatch(payload), sink)).toBe(true);
  expect(sink.view().toString("latin1")).toBe(fromView);
  return {
    fast: fromView,
    slow: Buffer.from(formatBatch(format, decodeZeekLogRows(payload)), "utf8").toString("latin1"),
  };
}

const OPTIONS: Record<string, TsvFormatOptions> = {
  default: {},
  "enable_utf_8=F": { utf8: false },
  "custom separators and markers": {
    separator: "|",
    setSeparator: ";",
    emptyField: "EMPTY",
    unsetField: "NONE",
    metaPrefix: "@@",
  },
  "multi-byte separator": { separator: "||", setSeparator: ";;", metaPrefix: "C" },
  "a line prefix that values start with": { metaPrefix: "C" },
  "empty markers": { emptyField: "", unsetField: "" },
};

describe("ZeekTsvFormat.writePayload: the same bytes as formatCells", () => {
  for (const [name, options] of Object.entries(OPTIONS)) {
    it(`every record of the writer fixtures (${name})`, () => {
      const format = new ZeekTsvFormat({ timeZone: "UTC", ...options });
      const info = both(
        format,
        batchOf(
          LOG_FIELDS,
          Array.from({ length: RECORDS }, (_, i) => makeInfo(i)),
        ),
      );
      expect(info.fast).toBe(info.slow);
      const first = both(
        format,
        batchOf(
          FIRST_FIELDS,
          FIRSTS.map((_, i) => makeFirst(i)),
        ),
      );
      expect(first.fast).toBe(first.slow);
    });
  }

  it("separators made of number characters (numbers escaped): the format declines, the rows are written", () => {
    const format = new ZeekTsvFormat({ separator: ".", timeZone: "UTC" });
    const payload = batchOf([logField("d", "double")], [[LogValues.double(1.5)]]);
    expect(format.writePayload(payloadBatch(decodeZeekLogView(payload), payload), new ByteSink())).toBe(
      false,
    );
  });

  it("random times, intervals, doubles, counts, ints, ports, addresses and strings", () => {
    const fields = [
      logField("t", "time"),
      logField("i", "interval"),
      logField("d", "double"),
      logField("c", "count"),
      logField("n", "int"),
      logField("p", "port"),
      logField("a", "addr"),
      logField("s", "string", { optional: true }),
      logField("b", "bool"),
    ];
    const number = fc.oneof(
      fc.double(),
      fc.double({ min: -2e9, max: 2e9 }),
      fc.integer({ min: -2_000_000, max: 2_000_000 }).map((n) => n / 128), // ties of the sixth decimal
      fc.integer({ min: 0, max: 2 ** 31 }).map((n) => n + 0.0000005),
    );
    const record = fc.tuple(
      number,
      number,
      number,
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.integer({ min: 0, max: 65535 }),
      fc.oneof(fc.ipV4(), fc.ipV6()),
      fc.option(
        fc.oneof(fc.string(), fc.string({ minLength: 100, maxLength: 2000 }), fc.constantFrom(...STRINGS)),
      ),
      fc.boolean(),
    );
    const format = new ZeekTsvFormat({ timeZone: "UTC" });
    const sink = new ByteSink(16);
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (records) => {
        const values = records.map(([t, i, d, c, n, p, a, s, b]) => [
          LogValues.time(t),
          LogValues.interval(i),
          LogValues.double(d),
          LogValues.count(c),
          LogValues.int(n),
          LogValues.port(p, "tcp"),
          LogValues.addr(a),
          s === null ? LogValues.absent("string") : LogValues.string(s),
          LogValues.bool(b),
        ]);
        const { fast, slow } = both(format, batchOf(fields, values), sink);
        expect(fast).toBe(slow);
      }),
      { numRuns: 300 },
    );
  });

  it("a batch bigger than the sink grows it; the next batch starts from the start", () => {
    const format = new ZeekTsvFormat({ timeZone: "UTC" });
    const sink = new ByteSink(8);
    const long = "x".repeat(100_000);
    const big = both(format, batchOf([logField("s", "string")], [[LogValues.string(long)]]), sink);
    expect(big.fast).toBe(`${long}\n`);
    const small = both(format, batchOf([logField("s", "string")], [[LogValues.string("y")]]), sink);
    expect(small.fast).toBe("y\n");
  });
});
