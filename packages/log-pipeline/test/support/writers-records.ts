// ZmqcWriters::LOG and ZmqcWriters::FIRST_LOG of zeek/zmqc-writers.zeek as zmqc log values: the columns as
// Zeek 8.2.2 describes them in a batch, and makeInfo(i) / makeFirst(i), the records the script writes. Keep
// the two files in step.
import {
  type LogField,
  type LogPortProtocol,
  type LogValue,
  LogValues,
  logField,
  TypeTag,
} from "@zmqc/wire-format";

export const LOG_STREAM = "ZmqcWriters::LOG";
export const FIRST_STREAM = "ZmqcWriters::FIRST_LOG";
/** How many records the script writes to ZmqcWriters::LOG. */
export const RECORDS = 58;

/** Concatenates text (as UTF-8) and raw bytes. */
export const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part)] : part)));

/** A NaN with the sign bit set: what x86-64 computes for inf - inf, which Zeek prints as `-nan`. */
export const NEGATIVE_NAN = new DataView(Uint8Array.from([0xff, 0xf8, 0, 0, 0, 0, 0, 0]).buffer).getFloat64(
  0,
);

export const STRINGS: readonly (string | Uint8Array)[] = [
  "plain",
  "",
  "-",
  "(empty)",
  "tab\there",
  "comma,here",
  "back\\slash",
  "new\nline",
  "ctl\x01\x7f",
  "ünïcödé ✓ 𝄞 日本",
  bytes("bad", [0xff], "byte"),
  bytes("grüße ✓", [0xff]),
  "ü\tü",
  "ü\\ü\x01",
  "#hash",
  '"quoted"',
  "\x00nul",
  "private\ue000",
  "repl\ufffd",
  "nel\u0085",
  bytes("surrogate", [0xed, 0xa0, 0x80]),
  "emoji😀",
  "bs\bff\fcr\r",
  "(empty)x",
  "--",
  "\\x41",
  bytes("trunc", [0xe2, 0x82]),
  " lead and trail ",
  "a\x1fb",
];

export const DOUBLES: readonly number[] = [
  0.1,
  1e20,
  1e-7,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0.0078125,
  1e21,
  123456789.12345679, // Zeek: 123456789.123456789
  -1e-7,
  5e-10,
  2.0,
  1e300,
  5e-324,
  1.7976931348623157e308,
  0.9999995,
  -2.5,
  3e-5,
  1e15 + 0.25, // Zeek: 1000000000000000.3, the same double
];

export const TIMES: readonly number[] = [
  1700000000.25,
  0,
  -1.25,
  1e10,
  0.9999996,
  1700000000.1234567, // Zeek: 1700000000.123456789
  1e200,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  NEGATIVE_NAN,
  1699999999.9999995, // Zeek: 1699999999.9999996
  253402300800.5,
];

const INTERVALS: readonly number[] = [-1.5, -0.000001, 0, 86400.5, -0, 1e-7, 3600];
const INTS: readonly bigint[] = [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 42n];
const COUNTS: readonly bigint[] = [2n ** 64n - 1n, 0n, 9007199254740993n, 1000003n];
const PORTS: readonly [number, LogPortProtocol][] = [
  [0, "tcp"],
  [65535, "udp"],
  [8, "icmp"],
  [1, "unknown"],
  [443, "tcp"],
];
// Zeek's [::ffff:1.2.3.4] is an IPv4 address (sent as family 4); every other text with ':' is family 6.
const ADDRS: readonly string[] = [
  "192.0.2.1",
  "2001:db8::1",
  "::",
  "::1",
  "::1.2.3.4",
  "::ffff:0:1.2.3.4",
  "1:0:0:1:0:0:0:1",
  "1:0:0:1:1:0:0:1",
  "fe80::abcd:0:0:1",
  "1.2.3.4",
  "0.0.0.0",
  "255.255.255.255",
];
const SUBNETS: readonly string[] = [
  "10.0.0.0/8",
  "2001:db8::/32",
  "::/0",
  "0.0.0.0/0",
  "192.0.2.0/24",
  "::1.2.3.0/120",
  "fe80::/10",
];
/** transport_proto's enum names. */
const PROTOS: readonly string[] = ["tcp", "udp", "icmp", "unknown_transport"];
const FILES: readonly string[] = ["plain.txt", "tab\tname.txt"];
/** How Zeek describes the function `echo` logged in the `fn` column. */
export const ECHO_DESCRIPTION =
  "ZmqcWriters::echo: function(s:string) : string\n{ \nreturn (ZmqcWriters::s);\n}";

export const FIRSTS: readonly string[] = ["#", "#x", "##", "-", "", "(empty)", "x#", "#\t"];

/** The columns of ZmqcWriters::LOG in record order, the nested id record flattened. */
export const LOG_FIELDS: readonly LogField[] = [
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
  logField("local_orig", "bool", { optional: true }),
  logField("n", "int"),
  logField("d", "double"),
  logField("s", "string"),
  logField("sn", "subnet"),
  logField("tags", "set", { element: "string" }),
  logField("hosts", "set", { element: "addr" }),
  logField("ports", "set", { element: "port" }),
  logField("protos", "set", { element: "enum" }),
  logField("nets", "set", { element: "subnet" }),
  logField("counts", "vector", { element: "count" }),
  logField("words", "vector", { element: "string" }),
  logField("doubles", "vector", { element: "double" }),
  logField("times", "vector", { element: "time" }),
  logField("f", "file"),
  logField("fn", "func", { optional: true }),
  logField("tunnel_parents", "set", { element: "string", optional: true }),
];

export const FIRST_FIELDS: readonly LogField[] = [
  logField("first", "string"),
  logField("rest", "set", { element: "string" }),
];

// LogValues.addr and LogValues.subnet read "::1.2.3.4" as the IPv4-mapped ::ffff:1.2.3.4 (ipaddr.js does), so
// the IPv4-compatible values are given in hex words here.
const HEX_WORDS: Readonly<Record<string, string>> = {
  "::1.2.3.4": "::102:304",
  "::1.2.3.0/120": "::102:300/120",
};

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
const str = (i: number) => LogValues.string(at(STRINGS, i));
const port = (i: number) => LogValues.port(...at(PORTS, i));
const addr = (i: number) => LogValues.addr(HEX_WORDS[at(ADDRS, i)] ?? at(ADDRS, i));
const subnet = (i: number) => LogValues.subnet(HEX_WORDS[at(SUBNETS, i)] ?? at(SUBNETS, i));
const double = (i: number) => LogValues.double(at(DOUBLES, i));
const time = (i: number) => LogValues.time(at(TIMES, i));

/** make_info(i) of zmqc-writers.zeek; multi-element sets in the order the script lists them (not Zeek's). */
export function makeInfo(i: number): LogValue[] {
  const k = i % 4;
  const tags =
    k === 0
      ? []
      : k === 1
        ? [str(i)]
        : k === 2
          ? [str(i), str(i + 1), str(i + 2), str(i + 3)]
          : ["", "-", "(empty)", "a,b", "a\tb"].map((text) => LogValues.string(text));
  return [
    time(i),
    LogValues.string(`C${i}`),
    addr(i),
    port(i),
    addr(i + 3),
    port(i + 1),
    LogValues.enum(at(PROTOS, i)),
    i % 3 !== 0 ? str(i) : LogValues.absent("string"),
    i % 4 !== 1 ? LogValues.interval(at(INTERVALS, i)) : LogValues.absent("interval"),
    i % 5 !== 2 ? LogValues.count(at(COUNTS, i)) : LogValues.absent("count"),
    i % 3 === 0 ? LogValues.bool(true) : i % 3 === 1 ? LogValues.bool(false) : LogValues.absent("bool"),
    LogValues.int(at(INTS, i)),
    double(i),
    str(i),
    subnet(i),
    LogValues.set(tags),
    LogValues.set([addr(i), addr(i + 1)]),
    LogValues.set(i % 2 === 1 ? [port(i), port(i + 2)] : []),
    LogValues.set(
      i % 2 === 0 ? [LogValues.enum(at(PROTOS, i))] : [LogValues.enum("tcp"), LogValues.enum("udp")],
    ),
    LogValues.set([subnet(i)]),
    LogValues.vector(i % 5 !== 4 ? [LogValues.count(at(COUNTS, i)), LogValues.count(at(COUNTS, i + 1))] : []),
    LogValues.vector(i % 6 !== 5 ? [str(i), str(i + 5), LogValues.string("")] : []),
    LogValues.vector([double(i), double(i + 1)]),
    LogValues.vector([time(i)]),
    LogValues.file(at(FILES, i)),
    i % 7 === 0 ? LogValues.func(ECHO_DESCRIPTION) : LogValues.absent("func"),
    i % 3 === 1
      ? LogValues.set([])
      : i % 3 === 2
        ? LogValues.set([LogValues.string("CabC1"), LogValues.string("CdeF2")])
        : LogValues.absent(TypeTag.TABLE),
  ];
}

/** The records of ZmqcWriters::FIRST_LOG. */
export function makeFirst(i: number): LogValue[] {
  const first = LogValues.string(at(FIRSTS, i));
  return [first, LogValues.set([first])];
}
