// The logger's CPU per record without sockets: decoding and formatting pre-encoded conn-like batches (what a Zeek
// worker sends) in one process, stage by stage. For profiling (`node --cpu-prof`) and A/B runs of the formatter.
//
//   node --conditions=@zmqc/source --import tsx bench/logger-cpu.ts [--batches 200] [--rounds 5] [--copies 100]
import { decodeLogFrames, decodeZeekLogRows, decodeZeekLogView } from "@zmqc/wire-format";
import { formatBatch, ZeekTsvFormat } from "../src/index.js";
import { checkedPayloadBatch } from "../src/receiver/check-payload.js";
import { ByteSink } from "../src/writers/byte-sink.js";
import { payloadBatch } from "../src/writers/format.js";
import { flagNumber } from "./args.js";
import { connMessages, connRecords } from "./conn.js";

const batches = flagNumber("--batches", 200);
const rounds = flagNumber("--rounds", 5);
const distinct = connMessages(connRecords(5000), 1000, "bench").map(
  (frames) => decodeLogFrames(frames.map((frame) => Buffer.from(frame))).payload,
);
// Many copies of them (tens of MB, beyond any cache): a logger reads each batch cold, as ZeroMQ wrote it.
const payloads = Array.from({ length: flagNumber("--copies", 100) }, (_unused, i) =>
  Buffer.from(distinct[i % distinct.length] as Uint8Array),
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

// The box is shared and noisy: each stage's best round is what it costs.
const best = new Map<string, number>();
let next = 0;
for (let round = 0; round <= rounds; round++) {
  const line: string[] = [];
  for (const [name, stage] of Object.entries(stages)) {
    const start = process.hrtime.bigint();
    let records = 0;
    for (let i = 0; i < batches; i++) {
      stage(payloads[next++ % payloads.length] as Uint8Array);
      records += 1000;
    }
    const micros = Number(process.hrtime.bigint() - start) / records / 1000;
    line.push(`${name} ${micros.toFixed(3)} µs/rec`);
    if (round > 0) best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, micros));
  }
  if (round > 0) console.log(`round ${round}: ${line.join("; ")}`);
}
console.log(`best: ${[...best].map(([name, micros]) => `${name} ${micros.toFixed(3)}`).join("; ")} µs/rec`);
