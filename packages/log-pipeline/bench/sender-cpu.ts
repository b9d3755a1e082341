// The sender's CPU per record without sockets: a zmqc sender's steps for conn-like records in one process — the
// record encoder alone, the encoder plus the batch payload a flush hands to ZeroMQ, and the reference path
// (toValues + encodeZeekLogBatch). For profiling (`node --cpu-prof`) and A/B runs of the encoder.
//
//   node --conditions=@zmqc/source --import tsx bench/sender-cpu.ts [--batches 200] [--rounds 5]

import { setImmediate as nextTurn } from "node:timers/promises";
import { encodeZeekLogBatch } from "@zmqc/wire-format";
import { Pull } from "zeromq";
import { startLogSender } from "../src/index.js";
import { flattenColumns } from "../src/sender/columns.js";
import { recordWriters } from "../src/sender/record-encoder.js";
import { zeekRecordEncoder } from "../src/sender/stream.js";
import { ByteSink } from "../src/writers/byte-sink.js";
import { flagNumber, flagText } from "./args.js";
import { BATCH, columns, conn, pool } from "./conn.js";

const batches = flagNumber("--batches", 200);
const rounds = flagNumber("--rounds", 5);
/** Only the stages whose name starts with this (for a profile of one). */
const only = flagText("--only");
const encoder = zeekRecordEncoder(conn);
if (encoder === undefined) throw new Error("conn has no record encoder");
const header = encodeZeekLogBatch({
  stream: conn.id,
  writer: conn.writer,
  filter: conn.filter,
  path: conn.path,
  fields: conn.fields,
  records: [],
});
const sink = new ByteSink(1 << 12);
// The two record writers alone (the encoder uses the compiled one).
const { compiled, interpreted } = recordWriters(flattenColumns(columns));
if (compiled === undefined) throw new Error("no compiled writer");
let next = 0;
const reused = Buffer.allocUnsafe(1 << 20);
const record = () => pool[next++ % pool.length] as (typeof pool)[number];

/** One batch's records encoded, then (as the sender's flush) the payload: header, count, records. */
const payload = (): Uint8Array => {
  sink.reset();
  for (let i = 0; i < BATCH; i++) encoder.append(record(), sink);
  const out = Buffer.allocUnsafe(header.length + sink.length);
  out.set(header, 0);
  out.writeUInt32BE(BATCH, header.length - 4);
  sink.buffer.copy(out, header.length, 0, sink.length);
  return out;
};

const stages: Record<string, () => number> = {
  "compiled writer": () => {
    sink.reset();
    for (let i = 0; i < BATCH; i++) compiled(record(), sink);
    return sink.length;
  },
  "interpreted writer": () => {
    sink.reset();
    for (let i = 0; i < BATCH; i++) interpreted(record(), sink);
    return sink.length;
  },
  "encoder.append": () => {
    sink.reset();
    for (let i = 0; i < BATCH; i++) encoder.append(record(), sink);
    return sink.length;
  },
  "append + payload": () => payload().length,
  "append + reused payload": () => {
    sink.reset();
    for (let i = 0; i < BATCH; i++) encoder.append(record(), sink);
    reused.set(header, 0);
    sink.buffer.copy(reused, header.length, 0, sink.length);
    return sink.length;
  },
  "toValues + encodeZeekLogBatch": () => {
    const records = [];
    for (let i = 0; i < BATCH; i++) records.push(conn.toValues(record()));
    return encodeZeekLogBatch({
      stream: conn.id,
      writer: conn.writer,
      filter: conn.filter,
      path: conn.path,
      fields: conn.fields,
      records,
    }).length;
  },
};

// A whole sender (write, encode, flush, send) to a PULL in this process that drops what it gets unread: the
// sender's CPU per record as the log-path benchmark's sender spends it, less the socket's share.
const pull = new Pull({ receiveHighWaterMark: 4 });
await pull.bind("tcp://127.0.0.1:*");
const sender = await startLogSender({
  nodeId: "bench",
  connectLogEndpoints: [pull.lastEndpoint as string],
  flushInterval: 0,
  logSndhwm: 4,
  lingerMs: 0,
  log: () => {},
});
void (async () => {
  for await (const _frames of pull) {
    // taken and dropped
  }
})().catch(() => {});
stages["sender.write (to a PULL in this process)"] = () => {
  for (let i = 0; i < BATCH; i++) sender.write(conn, record());
  return 0;
};

// The fast path must make the reference's bytes.
for (let b = 0; b < pool.length / BATCH; b++) {
  next = b * BATCH;
  const fast = Buffer.from(payload());
  const slow = encodeZeekLogBatch({
    stream: conn.id,
    writer: conn.writer,
    filter: conn.filter,
    path: conn.path,
    fields: conn.fields,
    records: pool.slice(b * BATCH, (b + 1) * BATCH).map((r) => conn.toValues(r)),
  });
  if (!fast.equals(slow)) throw new Error(`batch ${b}: the record encoder and encodeZeekLogBatch differ`);
}

// The box is shared and noisy: each stage's best round is what it costs.
const best = new Map<string, number>();
for (let round = 0; round <= rounds; round++) {
  const line: string[] = [];
  for (const [name, stage] of Object.entries(stages)) {
    if (only !== undefined && !name.startsWith(only)) continue;
    const start = process.hrtime.bigint();
    for (let i = 0; i < batches; i++) {
      stage();
      // A producer that lets its event loop run between batches (the sender's sends complete there).
      await nextTurn();
    }
    const micros = Number(process.hrtime.bigint() - start) / (batches * BATCH) / 1000;
    line.push(`${name} ${micros.toFixed(3)} µs/rec`);
    if (round > 0) best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, micros));
  }
  if (round > 0) console.log(`round ${round}: ${line.join("; ")}`);
}
await sender.close();
pull.close();
console.log(`best: ${[...best].map(([name, micros]) => `${name} ${micros.toFixed(3)}`).join("; ")} µs/rec`);
