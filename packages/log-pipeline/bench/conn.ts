// A 20-column conn.log-like stream and deterministic records for it: the shape of Zeek's busiest log.
import { encodeLogFrames, encodeZeekLogBatch, ZEEK_BIN_SERIALIZER } from "@zmqc/wire-format";
import { createLogStream, type LogRecordOf } from "../src/index.js";

export const columns = {
  ts: "time",
  uid: "string",
  id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
  proto: "enum",
  service: { type: "string", optional: true },
  duration: { type: "interval", optional: true },
  orig_bytes: { type: "count", optional: true },
  resp_bytes: { type: "count", optional: true },
  conn_state: { type: "string", optional: true },
  local_orig: { type: "bool", optional: true },
  missed_bytes: "count",
  history: { type: "string", optional: true },
  orig_pkts: { type: "count", optional: true },
  orig_ip_bytes: { type: "count", optional: true },
  resp_pkts: { type: "count", optional: true },
  resp_ip_bytes: { type: "count", optional: true },
  tunnel_parents: { type: { set: "string" }, optional: true },
} as const;

export const conn = createLogStream({ id: "Conn::LOG", path: "conn", columns });
export type ConnRecord = LogRecordOf<typeof columns>;

/** `count` distinct records from a fixed pseudo-random sequence (every run measures the same data). */
export function connRecords(count: number): ConnRecord[] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  return Array.from({ length: count }, (_unused, i) => ({
    ts: 1_764_064_800 + i * 0.001337,
    uid: `C${next().toString(36)}${next().toString(36)}`.slice(0, 18),
    id: {
      orig_h: `10.${next() % 256}.${next() % 256}.${next() % 256}`,
      orig_p: `${1024 + (next() % 60000)}/tcp`,
      resp_h: `192.0.2.${next() % 256}`,
      resp_p: `${[443, 80, 53, 22][next() % 4]}/tcp`,
    },
    proto: "tcp",
    service: i % 3 === 0 ? "ssl" : null,
    duration: (next() % 100_000) / 1000,
    orig_bytes: next() % 1_000_000,
    resp_bytes: next() % 10_000_000,
    conn_state: "SF",
    local_orig: true,
    missed_bytes: 0,
    history: "ShADadFf",
    orig_pkts: next() % 1000,
    orig_ip_bytes: next() % 1_000_000,
    resp_pkts: next() % 1000,
    resp_ip_bytes: next() % 10_000_000,
    tunnel_parents: i % 50 === 0 ? ["CHhAvVGS1DHFjwGM9"] : null,
  }));
}

/** Records per log message in the benchmark (a zmqc sender's default batch, and Zeek's). */
export const BATCH = 1000;

/** The records the benchmark's senders write, over and over. */
export const pool: readonly ConnRecord[] = connRecords(5000);

const preEncoded = new Map<number, Uint8Array[][]>();
/**
 * `records` records of `pool` as pre-encoded log messages of `BATCH` records each (encoded once per count): what
 * the raw zeromq.js source and the C PUSH send, the same bytes as the zmqc sender sends.
 */
export function preEncodedMessages(records: number): Uint8Array[][] {
  let messages = preEncoded.get(records);
  if (!messages) {
    const all = Array.from({ length: records }, (_unused, i) => pool[i % pool.length] as ConnRecord);
    messages = connMessages(all, BATCH, "bench-raw");
    preEncoded.set(records, messages);
  }
  return messages;
}

/** The records as log messages of `batchSize` records each: what a zmqc sender (or Zeek) puts on the wire. */
export function connMessages(
  records: readonly ConnRecord[],
  batchSize: number,
  sender: string,
): Uint8Array[][] {
  const messages: Uint8Array[][] = [];
  for (let at = 0; at < records.length; at += batchSize) {
    const payload = encodeZeekLogBatch({
      stream: conn.id,
      writer: conn.writer,
      filter: conn.filter,
      path: conn.path,
      fields: conn.fields,
      records: records.slice(at, at + batchSize).map((record) => conn.toValues(record)),
    });
    messages.push(encodeLogFrames({ sender, format: ZEEK_BIN_SERIALIZER, payload }));
  }
  return messages;
}
