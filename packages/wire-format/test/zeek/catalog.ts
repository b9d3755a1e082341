// The values of scripts/zmqc-values.zeek as zmqc Values: what Zeek publishes (publish_values) and what the
// test sends back for Zeek to check (receive-values.zeek). Sets and tables are listed in the order Zeek 8.2.2
// puts them on the wire (broker's canonical order), so a decoded event compares equal element by element.
import { Value, type ZeekValue } from "@zmqc/wire-format";

/** One event of the catalog. */
export interface CatalogEvent {
  /** The short name; the Zeek event is `ZmqcTest::<name>`. */
  readonly name: string;
  /** What the Zeek script publishes, in Zeek syntax, for the capture file's description. */
  readonly zeek: string;
  /** More description. */
  readonly note?: string;
  /** The arguments as zmqc Values. */
  readonly args: readonly ZeekValue[];
}

/** What CAF's pack754 makes of the subnormal 5e-324: bits fcd0000000000000 (its exponent wraps), read back. */
export const PACKED_SUBNORMAL_5E_324 = -1.596672247627776e293;

const strings = (...values: string[]) => values.map((value) => Value.string(value));

/** Zeek's values, one event per group of types, in publish order. */
export const CATALOG: readonly CatalogEvent[] = [
  { name: "bools", zeek: "T, F", args: [Value.boolean(true), Value.boolean(false)] },
  {
    name: "counts",
    zeek: "0, 42, 18446744073709551615",
    args: [Value.count(0), Value.count(42), Value.count((1n << 64n) - 1n)],
  },
  {
    name: "ints",
    zeek: "-42, +42, -9223372036854775807 - 1, +9223372036854775807",
    args: [
      Value.integer(-42),
      Value.integer(42),
      Value.integer(-(1n << 63n)),
      Value.integer((1n << 63n) - 1n),
    ],
  },
  {
    name: "doubles",
    zeek: '1.5, -0.0, to_double("inf"), to_double("-inf"), to_double("nan"), 5e-324, 1e300, 0.1',
    args: [
      Value.real(1.5),
      Value.real(-0),
      Value.real(Number.POSITIVE_INFINITY),
      Value.real(Number.NEGATIVE_INFINITY),
      Value.real(Number.NaN),
      // Zeek sends 5e-324 as fcd0000000000000, which reads back (in Zeek too) as this huge negative number.
      Value.real(PACKED_SUBNORMAL_5E_324),
      Value.real(1e300),
      Value.real(0.1),
    ],
  },
  {
    name: "strings",
    zeek: '"hello", "grüße ✓", "a\\x00\\xffb", ""',
    args: [
      Value.string("hello"),
      Value.string("grüße ✓"),
      Value.string(Uint8Array.from([0x61, 0x00, 0xff, 0x62])),
      Value.string(""),
    ],
  },
  {
    name: "addrs",
    zeek: "192.0.2.1, [2001:db8::1], [::1], [::ffff:1.2.3.4]",
    args: [
      Value.address("192.0.2.1"),
      Value.address("2001:db8::1"),
      Value.address("::1"),
      Value.address("1.2.3.4"),
    ],
  },
  {
    name: "subnets",
    zeek: "10.0.0.0/8, [2001:db8::]/32, 192.168.1.77/24, [2001:db8::1]/64, 0.0.0.0/0",
    args: [
      Value.subnet("10.0.0.0/8"),
      Value.subnet("2001:db8::/32"),
      // Zeek masks the host bits when it builds the subnet, so they never reach the wire.
      Value.subnet("192.168.1.0/24"),
      Value.subnet("2001:db8::/64"),
      Value.subnet("0.0.0.0/0"),
    ],
  },
  {
    name: "ports",
    zeek: "443/tcp, 53/udp, 8/icmp, 0/unknown, 65535/tcp",
    args: [
      Value.port(443, "tcp"),
      Value.port(53, "udp"),
      Value.port(8, "icmp"),
      Value.port(0, "unknown"),
      Value.port(65535, "tcp"),
    ],
  },
  {
    name: "times",
    zeek: "double_to_time(1700000000.123456), 1.5sec, -2.25min, 0sec",
    args: [Value.time(1700000000.123456), Value.interval(1.5), Value.interval(-135), Value.intervalNs(0n)],
  },
  { name: "enums", zeek: "Cluster::WORKER, tcp", args: [Value.enum("Cluster::WORKER"), Value.enum("tcp")] },
  {
    name: "string_set",
    zeek: 'set("c", "", "b", "aa", "B", "a")',
    args: [Value.set(strings("", "B", "a", "aa", "b", "c"))],
  },
  {
    name: "addr_set",
    zeek: "set(10.0.0.1, [2001:db8::1], 1.2.3.4, [::1])",
    args: [Value.set(["::1", "1.2.3.4", "10.0.0.1", "2001:db8::1"].map((a) => Value.address(a)))],
  },
  {
    name: "subnet_set",
    zeek: "set(10.0.0.0/8, 10.0.0.0/16, 10.1.0.0/16, [2001:db8::]/32, 0.0.0.0/0, [::]/0)",
    args: [
      Value.set(
        ["::/0", "0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "2001:db8::/32"].map((s) =>
          Value.subnet(s),
        ),
      ),
    ],
  },
  {
    name: "port_set",
    zeek: "set(80/tcp, 80/udp, 53/udp, 443/tcp, 0/unknown, 8/icmp, 65535/tcp)",
    args: [
      Value.set(
        ["0/unknown", "8/icmp", "53/udp", "80/tcp", "80/udp", "443/tcp", "65535/tcp"].map((p) =>
          Value.port(p),
        ),
      ),
    ],
  },
  {
    name: "composite_set",
    zeek: 'set[string, count] { ["b", 1], ["a", 10], ["a", 2], ["", 0] }',
    args: [
      Value.set(
        (
          [
            ["", 0],
            ["a", 2],
            ["a", 10],
            ["b", 1],
          ] as const
        ).map(([s, n]) => Value.vector([Value.string(s), Value.count(n)])),
      ),
    ],
  },
  {
    name: "count_table",
    zeek: 'table[string] of count { ["y"] = 2, ["x"] = 1, ["aa"] = 3, [""] = 0 }',
    args: [
      Value.table(
        (
          [
            ["", 0],
            ["aa", 3],
            ["x", 1],
            ["y", 2],
          ] as const
        ).map(([k, n]) => [Value.string(k), Value.count(n)] as const),
      ),
    ],
  },
  {
    name: "set_table",
    zeek: 'table[count] of set[string] { [10] = set("a"), [1] = set("y", "x"), [2] = set() }',
    args: [
      Value.table([
        [Value.count(1), Value.set(strings("x", "y"))],
        [Value.count(2), Value.set([])],
        [Value.count(10), Value.set(strings("a"))],
      ]),
    ],
  },
  {
    name: "composite_table",
    zeek: 'table[addr, port] of string { [10.0.0.1, 80/tcp] = "web", [10.0.0.1, 53/udp] = "dns", [[2001:db8::1], 443/tcp] = "tls" }',
    args: [
      Value.table(
        (
          [
            ["10.0.0.1", "53/udp", "dns"],
            ["10.0.0.1", "80/tcp", "web"],
            ["2001:db8::1", "443/tcp", "tls"],
          ] as const
        ).map(([a, p, s]) => [Value.vector([Value.address(a), Value.port(p)]), Value.string(s)] as const),
      ),
    ],
  },
  {
    name: "string_vector",
    zeek: 'vector("b", "a", "", "b")',
    args: [Value.vector(strings("b", "a", "", "b"))],
  },
  {
    name: "nested_vector",
    zeek: "vector(vector(1, 2), vector(), vector(3))",
    args: [
      Value.vector([
        Value.vector([Value.count(1), Value.count(2)]),
        Value.vector([]),
        Value.vector([Value.count(3)]),
      ]),
    ],
  },
  {
    name: "record_arg",
    zeek: '[$name="x", $n=1, $inner=[$a=7], $vec=vector("p", "q")]',
    note: "an Info record: opt, inner$b and at unset, d &default=5",
    args: [
      // name, n, opt (unset), d (&default=5), inner [a, b (unset)], vec, at (unset)
      Value.record([
        Value.string("x"),
        Value.count(1),
        undefined,
        Value.count(5),
        Value.record([Value.count(7), undefined]),
        Value.vector(strings("p", "q")),
        undefined,
      ]),
    ],
  },
  { name: "no_args", zeek: "", args: [] },
  {
    name: "int_arg",
    zeek: "+42",
    note: "an int: in Zeek script 42 alone is a count",
    args: [Value.integer(42)],
  },
];

/** The event publish-metadata.zeek sends, with network time pinned at 1700000000.25. */
export const METADATA_EVENT = {
  name: "with_metadata",
  zeek: '"stamped"',
  note: "with EventMetadata::add_network_timestamp=T and network time pinned at 1700000000.25",
  args: [Value.string("stamped")],
  // Zeek: int64(1700000000.25 * 1e9), in double precision.
  networkTimestamp: Value.time(1700000000.25),
} as const;
