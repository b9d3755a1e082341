// Log batch benchmarks: 1000 conn-like records per batch in each format, against JSON lines and cbor-x maps of the
// same rows, side by side in one run.

import {
  decodeCborLogBatch,
  decodeZeekLogBatch,
  decodeZeekLogRows,
  encodeCborLogBatch,
  encodeZeekLogBatch,
} from "@zmqc/wire-format";
import { Encoder } from "cbor-x";
import { Bench } from "tinybench";
import { connBatch, connJsonLines, connRows } from "./conn-log.js";

const cborMaps = new Encoder({ useRecords: false, mapsAsObjects: true });

export async function benchLogs(time: number): Promise<Bench> {
  const rows = connRows(1000);
  const batch = connBatch(rows);
  const zeekBin = encodeZeekLogBatch(batch);
  const cbor = encodeCborLogBatch(batch);
  const jsonLines = connJsonLines(rows);
  const cborRows = cborMaps.encode(rows);
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  bench
    .add("conn×1000: zeek-bin-serializer decode", () => decodeZeekLogBatch(zeekBin))
    .add("conn×1000: zeek-bin-serializer decode to plain rows", () => decodeZeekLogRows(zeekBin))
    .add("conn×1000: zmqc-cbor-v1 decode", () => decodeCborLogBatch(cbor))
    .add("conn×1000: baseline JSON lines parse", () => {
      for (const line of jsonLines.split("\n")) JSON.parse(line);
    })
    .add("conn×1000: baseline cbor-x map decode", () => cborMaps.decode(cborRows))
    .add("conn×1000: zeek-bin-serializer encode", () => encodeZeekLogBatch(batch))
    .add("conn×1000: zmqc-cbor-v1 encode", () => encodeCborLogBatch(batch))
    .add("conn×1000: baseline JSON lines stringify", () => rows.map((row) => JSON.stringify(row)).join("\n"))
    .add("conn×1000: baseline cbor-x map encode", () => cborMaps.encode(rows));
  await bench.run();
  return bench;
}
