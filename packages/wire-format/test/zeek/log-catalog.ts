// The ZmqcLogTest::LOG stream of scripts/zmqc-log-stream.zeek as zmqc log values: its columns as Zeek 8.2.2
// describes them in a batch, and makeInfo(i), the record make_info(i) builds. Keep the two in step.
import {
  encodeZeekLogValue,
  type LogField,
  type LogPortProtocol,
  type LogValue,
  LogValues,
  logField,
} from "@zmqc/wire-format";

export const LOG_STREAM = "ZmqcLogTest::LOG";
/** Known to the logger's Log::ID, never created: "Failed to find stream … for remote write". */
export const UNCREATED_STREAM = "ZmqcLogTest::UNCREATED_LOG";
/** Like UNCREATED_STREAM; the logger (log-logger.zeek) terminates on the error a batch for it causes. */
export const END_STREAM = "ZmqcLogTest::END_LOG";
export const LOG_PATH = "zmqc_log_test";
export const ASCII_WRITER = "Log::WRITER_ASCII";
export const DEFAULT_FILTER = "default";

/** The columns in record order; the nested record arrives flattened (`nested.x`, `nested.y`). */
export const LOG_FIELDS: readonly LogField[] = [
  logField("i", "count"),
  logField("b", "bool"),
  logField("n", "int"),
  logField("c", "count"),
  logField("d", "double"),
  logField("ts", "time"),
  logField("iv", "interval"),
  logField("s", "string"),
  logField("raw", "string"),
  logField("e", "enum"),
  logField("p", "port"),
  logField("a4", "addr"),
  logField("a6", "addr"),
  logField("sn4", "subnet"),
  logField("sn6", "subnet"),
  logField("tags", "set", { element: "string" }),
  logField("hosts", "set", { element: "addr" }),
  logField("counts", "vector", { element: "count" }),
  logField("words", "vector", { element: "string" }),
  logField("nested.x", "count"),
  logField("nested.y", "string", { optional: true }),
  logField("opt_s", "string", { optional: true }),
  logField("opt_c", "count", { optional: true }),
  logField("opt_set", "set", { element: "string", optional: true }),
  logField("opt_vec", "vector", { element: "string", optional: true }),
];

/** Cluster::LOG (cluster.log), which every Zeek node that is not a logger sends to the loggers. */
export const CLUSTER_FIELDS: readonly LogField[] = [
  logField("ts", "time"),
  logField("node", "string"),
  logField("message", "string"),
];

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const PROTOCOLS: readonly LogPortProtocol[] = ["tcp", "udp", "icmp", "unknown"];
/** transport_proto's enum names, as Zeek logs them. */
const PROTOCOL_ENUMS = ["tcp", "udp", "icmp", "unknown_transport"];
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part)] : part)));
const strings = (values: readonly (string | Uint8Array)[]) => values.map((value) => LogValues.string(value));

/** make_info(i) of zmqc-log-stream.zeek: five variants (i % 5) of every column. */
export function makeInfo(i: number): LogValue[] {
  const k = i % 5;
  // count_to_v4_addr(3221225984 + i): 192.0.2.0 + i.
  const a4 = `192.0.${2 + (i >> 8)}.${i & 0xff}`;
  const a6 = `2001:db8::${i.toString(16)}`;
  const doubles = [i * 0.1, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
  return [
    LogValues.count(i),
    LogValues.bool(i % 2 === 0),
    LogValues.int(k === 0 ? I64_MIN : k === 1 ? I64_MAX : BigInt(-i * 1000)),
    LogValues.count(k === 0 ? U64_MAX : BigInt(i) * 1000003n),
    LogValues.double(doubles[k] as number),
    LogValues.time(1700000000 + i * 0.25),
    LogValues.interval((i - 1000) * 1.5),
    LogValues.string(`record ${i} grüße ✓`),
    LogValues.string(bytes("a", [0x00, 0xff], String(i))),
    LogValues.enum(PROTOCOL_ENUMS[i % 4] as string),
    LogValues.port(i, PROTOCOLS[i % 4]),
    LogValues.addr(a4),
    LogValues.addr(a6),
    LogValues.subnet(a4, 24),
    LogValues.subnet(`2001:db8:${i.toString(16)}::/48`),
    LogValues.set(k === 4 ? [] : strings(["a", "", `t${i}`, "grüße"])),
    // [::ffff:1.2.3.4] is an IPv4 address to Zeek: it is sent as family 4.
    LogValues.set([LogValues.addr(a4), LogValues.addr(a6), LogValues.addr("1.2.3.4")]),
    LogValues.vector([LogValues.count(i), LogValues.count(0), LogValues.count(U64_MAX)]),
    LogValues.vector(k === 3 ? [] : strings(["x", String(i), "", bytes("a", [0xff], "b")])),
    LogValues.count(i),
    i % 2 === 0 ? LogValues.string(`y${i}`) : LogValues.absent("string"),
    i % 3 === 0 ? LogValues.string(`opt ${i}`) : LogValues.absent("string"),
    LogValues.absent("count"),
    LogValues.absent("set"),
    LogValues.absent("vector"),
  ];
}

/** A record with some columns replaced, by name. */
export function withColumns(
  fields: readonly LogField[],
  record: readonly LogValue[],
  columns: Readonly<Record<string, LogValue>>,
): LogValue[] {
  const result = [...record];
  for (const [name, value] of Object.entries(columns)) {
    const index = fields.findIndex((field) => field.name === name);
    if (index < 0) throw new Error(`no column ${name}`);
    result[index] = value;
  }
  return result;
}

/** A value with plain Uint8Array copies of its byte strings, and set elements in one fixed order. */
export function canonical(value: LogValue): LogValue {
  if (!value.present) return value;
  switch (value.type) {
    case "string":
      return typeof value.value === "string" ? value : { ...value, value: Uint8Array.from(value.value) };
    case "vector":
      return { ...value, elements: value.elements.map(canonical) };
    case "set": {
      // Zeek sends set elements in its hash order, which depends on its seeds: compare sets as sets.
      const key = (element: LogValue) => Buffer.from(encodeZeekLogValue(element)).toString("hex");
      const elements = value.elements.map(canonical).sort((a, b) => (key(a) < key(b) ? -1 : 1));
      return { ...value, elements };
    }
    default:
      return value;
  }
}
