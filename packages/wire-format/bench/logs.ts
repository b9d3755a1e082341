// Log batch benchmarks: 1000 conn-like records per batch in each format, against JSON lines and cbor-x maps of the
// same rows, side by side in one run.
//
// Every decode task cycles through BATCHES different batches (other uids, hosts, counts), so a decoder that caches
// repeated strings cannot hit on values that a real sensor would send only once. The "+ read every field" tasks
// are what a logger does: decode, then read each field of each record once (string lengths included, so a lazy
// decoder has to build every string it skipped); the JSON baseline reads its parsed objects the same way.

import {
  decodeCborLogBatch,
  decodeZeekLogBatch,
  decodeZeekLogRows,
  decodeZeekLogView,
  encodeCborLogBatch,
  encodeZeekLogBatch,
  type LogCell,
} from "@zmqc/wire-format";
import { Encoder } from "cbor-x";
import { Bench } from "tinybench";
// The encoder as it was before the fast pass, kept as the fallback: measured beside it in the same run.
import { encodeZeekLogBatchChecked } from "../src/zeek-log/encode-checked.js";
import { connBatch, connJsonLines, connRows } from "./conn-log.js";

const cborMaps = new Encoder({ useRecords: false, mapsAsObjects: true });
/** Distinct batches each decode task cycles through (16 000 distinct uids, more than any cache holds). */
const BATCHES = 16;

/** What reading one field costs a logger, the same for every decoder: a string's length, else one. */
function touch(value: unknown): number {
  return typeof value === "string" ? value.length : value === null || value === undefined ? 0 : 1;
}

/** A task body that takes the next of `inputs` on every call. */
function cycle<T>(inputs: readonly T[], run: (input: T) => unknown): () => void {
  let next = 0;
  return () => {
    run(inputs[next] as T);
    next = (next + 1) % inputs.length;
  };
}

/** Keeps results alive so no task is optimised away. */
export let sink = 0;

export async function benchLogs(time: number): Promise<Bench> {
  const rowSets = Array.from({ length: BATCHES }, (_unused, i) => connRows(1000, i));
  const batches = rowSets.map(connBatch);
  const zeekBins = batches.map((batch) => encodeZeekLogBatch(batch));
  const cbors = batches.map((batch) => encodeCborLogBatch(batch));
  const jsonLines = rowSets.map(connJsonLines);
  const cborRows = rowSets.map((rows) => cborMaps.encode(rows));
  const [rows, batch] = [rowSets[0], batches[0]] as [(typeof rowSets)[0], (typeof batches)[0]];
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  bench
    .add("conn×1000: zeek-bin-serializer decode", cycle(zeekBins, decodeZeekLogBatch))
    .add(
      "conn×1000: zeek-bin-serializer decode to plain rows",
      cycle(zeekBins, (bytes) => decodeZeekLogRows(bytes)),
    )
    .add(
      "conn×1000: zeek-bin-serializer plain rows + read every field",
      cycle(zeekBins, (bytes) => {
        let n = 0;
        for (const row of decodeZeekLogRows(bytes).rows)
          for (let i = 0; i < row.length; i++) n += touch(row[i] as LogCell);
        sink += n;
      }),
    )
    .add(
      "conn×1000: zeek-bin-serializer lazy view + read every field",
      cycle(zeekBins, (bytes) => {
        let n = 0;
        const view = decodeZeekLogView(bytes);
        const width = view.fields.length;
        for (let r = 0; r < view.rowCount; r++) for (let c = 0; c < width; c++) n += touch(view.cell(r, c));
        sink += n;
      }),
    )
    .add("conn×1000: zmqc-cbor-v1 decode", cycle(cbors, decodeCborLogBatch))
    .add(
      "conn×1000: baseline JSON lines parse",
      cycle(jsonLines, (text) => {
        for (const line of text.split("\n")) JSON.parse(line);
      }),
    )
    .add(
      "conn×1000: baseline JSON lines parse + read every field",
      cycle(jsonLines, (text) => {
        let n = 0;
        for (const line of text.split("\n")) {
          const record = JSON.parse(line) as Record<string, unknown>;
          for (const key in record) n += touch(record[key]);
        }
        sink += n;
      }),
    )
    .add(
      "conn×1000: baseline cbor-x map decode",
      cycle(cborRows, (bytes) => cborMaps.decode(bytes)),
    )
    .add("conn×1000: zeek-bin-serializer encode", () => encodeZeekLogBatch(batch))
    .add("conn×1000: zeek-bin-serializer checked (previous) encode", () => encodeZeekLogBatchChecked(batch))
    .add("conn×1000: zmqc-cbor-v1 encode", () => encodeCborLogBatch(batch))
    .add("conn×1000: baseline JSON lines stringify", () => rows.map((row) => JSON.stringify(row)).join("\n"))
    .add("conn×1000: baseline cbor-x map encode", () => cborMaps.encode(rows));
  await bench.run();
  return bench;
}
