// ZmqcCluster::LOG of zeek/zmqc-cluster-stream.zeek declared with createLogStream, and makeRecord(node, i), the
// record make_info(node, i) builds there. Keep the two files in step.
import { createLogStream, type LogRecordOf } from "../../src/index.js";

export const CLUSTER_STREAM_ID = "ZmqcCluster::LOG";
export const CLUSTER_PATH = "zmqc_cluster";

const columns = {
  ts: "time",
  node: "string",
  seq: "count",
  uid: "string",
  id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
  proto: "enum",
  duration: { type: "interval", optional: true },
  n: "int",
  d: "double",
  ok: { type: "bool", optional: true },
  s: "string",
  sn: "subnet",
  tags: { set: "string" },
  counts: { vector: "count" },
  words: { type: { vector: "string" }, optional: true },
} as const;

/** The stream as a zmqc node declares it: the same id, path and columns as the Zeek script's. */
export const clusterStream = createLogStream({ id: CLUSTER_STREAM_ID, path: CLUSTER_PATH, columns });

const STRINGS: readonly (string | Uint8Array)[] = [
  "plain",
  "",
  "-",
  "(empty)",
  "tab\there",
  "comma,here",
  "back\\slash",
  "ctl\x01\x7f",
  "ünïcödé ✓",
  Uint8Array.from([...Buffer.from("bad"), 0xff, ...Buffer.from("byte")]),
  "#hash",
  " lead and trail ",
];
const ADDRS = ["192.0.2.1", "2001:db8::1", "::1", "10.0.0.7", "::ffff:1.2.3.4"];
const PORTS = ["443/tcp", "53/udp", "8/icmp", "65535/tcp"];
const PROTOS = ["tcp", "udp", "icmp", "unknown_transport"];
const SUBNETS = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.0/24", "::ffff:1.2.3.0/120"];
const MAX_COUNT = 18_446_744_073_709_551_615n;

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** make_info(node, i) of zmqc-cluster-stream.zeek. */
export function makeRecord(node: string, i: number): LogRecordOf<typeof columns> {
  const k = i % 3;
  return {
    ts: 1_700_000_000 + i / 1000,
    node,
    seq: i,
    uid: `C${node}-${i}`,
    id: { orig_h: at(ADDRS, i), orig_p: at(PORTS, i), resp_h: at(ADDRS, i + 2), resp_p: at(PORTS, i + 1) },
    proto: at(PROTOS, i),
    duration: i % 4 !== 1 ? i / 3 : undefined,
    n: (i % 2 === 0 ? 1 : -1) * (i * 1_000_003),
    d: i / 7,
    ok: k === 0 ? true : k === 1 ? false : undefined,
    s: at(STRINGS, i),
    sn: at(SUBNETS, i),
    tags: k === 0 ? [] : k === 1 ? [at(STRINGS, i)] : [at(STRINGS, i), at(STRINGS, i + 1), "x,y"],
    counts: i % 5 !== 0 ? [BigInt(i), BigInt(i * i), MAX_COUNT] : [],
    words: i % 2 === 0 ? [at(STRINGS, i + 3), ""] : undefined,
  };
}
