// The logger's CPU per record without sockets: decoding and formatting pre-encoded conn-like batches (what a Zeek
// worker sends) in one process, stage by stage. For profiling (`node --cpu-prof`) and A/B runs of the formatter.
//
//   node --conditions=@zmqc/source --import tsx bench/logger-cpu.ts [--batches 200] [--rounds 5]
import { decodeLogFrames, decodeZeekLogRows, decodeZeekLogView } from "@zmqc/wire-format";
import { formatBatch, ZeekTsvFormat } from "../src/index.js";
import { checkedPayloadBatch } from "../src/receiver/check-payload.js";
import { ByteSink } from "../src/writers/byte-sink.js";
import { payloadBatch } from "../src/writers/format.js";
import { connMessages, connRecords } from "./conn.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const batches = option("--batches", 200);
const rounds = option("--rounds", 5);
const payloads = connMessages(connRecords(5000), 1000, "bench").map(
  (frames) => decodeLogFrames(frames.map((frame) => Buffer.from(frame))).payload,
);
const tsv = new ZeekTsvFormat({ timeZone: "UTC" });
const sink = new ByteSink();

const stages: Record<string, (payload: Uint8Array) => number> = {
  decodeZeekLogRows: (payload) => decodeZeekLogRows(payload).rows.length,
  "decodeZeekLogView (check pass)": (payload) => decodeZeekLogView(payload).rowCount,
  "rows + formatBatch + Buffer.from": (payload) =>
    Buffer.from(formatBatch(tsv, decodeZeekLogRows(payload)), "utf8").length,
  checkZeekLogPayload: (payload) => checkedPayloadBatch(payload).rowCount,
  "check + writePayload (the logger's path)": (payload) => {
    sink.reset();
    tsv.writePayload(checkedPayloadBatch(payload), sink);
    return sink.length;
  },
  "view + writePayload": (payload) => {
    sink.reset();
    tsv.writePayload(payloadBatch(decodeZeekLogView(payload), payload), sink);
    return sink.length;
  },
};
// The two paths must write the same bytes.
for (const payload of payloads) {
  sink.reset();
  tsv.writePayload(payloadBatch(decodeZeekLogView(payload), payload), sink);
  const slow = Buffer.from(formatBatch(tsv, decodeZeekLogRows(payload)), "utf8");
  if (!slow.equals(sink.view())) throw new Error("writePayload and formatBatch differ");
  sink.reset();
  tsv.writePayload(checkedPayloadBatch(payload), sink);
  if (!slow.equals(sink.view())) throw new Error("writePayload of a checked payload and formatBatch differ");
}

for (let round = 0; round <= rounds; round++) {
  const line: string[] = [];
  for (const [name, stage] of Object.entries(stages)) {
    const start = process.hrtime.bigint();
    let records = 0;
    for (let i = 0; i < batches; i++) {
      stage(payloads[i % payloads.length] as Uint8Array);
      records += 1000;
    }
    const ns = Number(process.hrtime.bigint() - start);
    line.push(`${name} ${(ns / records / 1000).toFixed(3)} µs/rec`);
  }
  if (round > 0) console.log(`round ${round}: ${line.join("; ")}`);
}
