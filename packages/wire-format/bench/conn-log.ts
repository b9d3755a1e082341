// A conn.log-like batch of 1000 records, the shape of Zeek's busiest log, and the same rows as Zeek's JSON log lines.
import { type LogBatch, LogValues, logField } from "@zmqc/wire-format";

const FIELDS = [
  logField("ts", "time"),
  logField("uid", "string"),
  logField("id.orig_h", "addr"),
  logField("id.orig_p", "port"),
  logField("id.resp_h", "addr"),
  logField("id.resp_p", "port"),
  logField("proto", "enum"),
  logField("service", "string", { optional: true }),
  logField("duration", "interval", { optional: true }),
  logField("orig_bytes", "count", { optional: true }),
  logField("resp_bytes", "count", { optional: true }),
  logField("conn_state", "string", { optional: true }),
  logField("local_orig", "bool", { optional: true }),
  logField("missed_bytes", "count"),
  logField("history", "string", { optional: true }),
  logField("orig_pkts", "count", { optional: true }),
  logField("resp_pkts", "count", { optional: true }),
  logField("tunnel_parents", "set", { element: "string", optional: true }),
];

interface ConnRow {
  ts: number;
  uid: string;
  "id.orig_h": string;
  "id.orig_p": number;
  "id.resp_h": string;
  "id.resp_p": number;
  proto: string;
  service?: string;
  duration: number;
  orig_bytes: number;
  resp_bytes: number;
  conn_state: string;
  local_orig: boolean;
  missed_bytes: number;
  history: string;
  orig_pkts: number;
  resp_pkts: number;
}

/**
 * Deterministic rows (a fixed pseudo-random sequence, so every run measures the same data). Each `batch` number
 * gives other uids, hosts, ports, counts and times, as consecutive batches from a real sensor would have.
 */
export function connRows(count: number, batch = 0): ConnRow[] {
  const first = 1_764_064_800 + batch * count * 0.001337;
  let seed = 42 + batch * 7919;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  return Array.from({ length: count }, (_unused, i) => {
    const row: ConnRow = {
      ts: first + i * 0.001337,
      uid: `C${next().toString(36)}${next().toString(36)}`.slice(0, 18),
      "id.orig_h": `10.${next() % 256}.${next() % 256}.${next() % 256}`,
      "id.orig_p": 1024 + (next() % 60000),
      "id.resp_h": `192.0.2.${next() % 256}`,
      "id.resp_p": [443, 80, 53, 22][next() % 4] as number,
      proto: "tcp",
      duration: (next() % 100_000) / 1000,
      orig_bytes: next() % 1_000_000,
      resp_bytes: next() % 10_000_000,
      conn_state: "SF",
      local_orig: true,
      missed_bytes: 0,
      history: "ShADadFf",
      orig_pkts: next() % 1000,
      resp_pkts: next() % 1000,
    };
    if (i % 3 === 0) row.service = "ssl";
    return row;
  });
}

/** The rows as one zeek-bin-serializer batch, as Zeek's WriterFrontend would send them. */
export function connBatch(rows: readonly ConnRow[]): LogBatch {
  const orNone = <T>(value: T | undefined, make: (v: T) => ReturnType<typeof LogValues.string>) =>
    value === undefined ? LogValues.absent("string") : make(value);
  return {
    stream: "Conn::LOG",
    writer: "Log::WRITER_ASCII",
    filter: "default",
    path: "conn",
    fields: FIELDS,
    records: rows.map((row) => [
      LogValues.time(row.ts),
      LogValues.string(row.uid),
      LogValues.addr(row["id.orig_h"]),
      LogValues.port(row["id.orig_p"], "tcp"),
      LogValues.addr(row["id.resp_h"]),
      LogValues.port(row["id.resp_p"], "tcp"),
      LogValues.enum(row.proto),
      orNone(row.service, LogValues.string),
      LogValues.interval(row.duration),
      LogValues.count(row.orig_bytes),
      LogValues.count(row.resp_bytes),
      LogValues.string(row.conn_state),
      LogValues.bool(row.local_orig),
      LogValues.count(row.missed_bytes),
      LogValues.string(row.history),
      LogValues.count(row.orig_pkts),
      LogValues.count(row.resp_pkts),
      LogValues.absent("set"),
    ]),
  };
}

/** The rows as Zeek's JSON log lines (LogAscii::use_json), one object per line. */
export function connJsonLines(rows: readonly ConnRow[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n");
}
