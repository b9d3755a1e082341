/**
 * The value model shared by every event format: the 15 data types of Zeek's broker, keeping the distinctions
 * Zeek enforces on receipt (count ≠ integer, timestamp ≠ timespan, address ≠ string, enum ≠ string).
 * 64-bit integers and nanosecond times are bigint: nothing is rounded silently.
 */
export type ZeekValue =
  | NoneValue
  | BooleanValue
  | CountValue
  | IntegerValue
  | RealValue
  | StringValue
  | AddressValue
  | SubnetValue
  | PortValue
  | TimestampValue
  | TimespanValue
  | EnumValue
  | SetValue
  | TableValue
  | VectorValue;

/** The type names, in broker's tag order (tag = index). */
export const VALUE_TYPES = [
  "none",
  "boolean",
  "count",
  "integer",
  "real",
  "string",
  "address",
  "subnet",
  "port",
  "timestamp",
  "timespan",
  "enum",
  "set",
  "table",
  "vector",
] as const;

/** The name of a value type. */
export type ValueType = (typeof VALUE_TYPES)[number];

/** An absent value (Zeek's unset record field). */
export interface NoneValue {
  readonly type: "none";
}
/** Zeek `bool`. */
export interface BooleanValue {
  readonly type: "boolean";
  readonly value: boolean;
}
/** Zeek `count`: unsigned 64-bit. */
export interface CountValue {
  readonly type: "count";
  readonly value: bigint;
}
/** Zeek `int`: signed 64-bit. */
export interface IntegerValue {
  readonly type: "integer";
  readonly value: bigint;
}
/** Zeek `double`. */
export interface RealValue {
  readonly type: "real";
  readonly value: number;
}
/** Zeek `string`: a byte string; decoders give text when the bytes are valid UTF-8, the bytes otherwise. */
export interface StringValue {
  readonly type: "string";
  readonly value: string | Uint8Array;
}
/** Zeek `addr`, in text form (`192.0.2.1`, `2001:db8::1`). */
export interface AddressValue {
  readonly type: "address";
  readonly value: string;
}
/** Zeek `subnet`: network address and prefix length (0–32 for IPv4, 0–128 for IPv6). */
export interface SubnetValue {
  readonly type: "subnet";
  readonly address: string;
  readonly length: number;
}
/** Transport protocol of a port. */
export type PortProtocol = "unknown" | "tcp" | "udp" | "icmp";
/** Zeek `port`. */
export interface PortValue {
  readonly type: "port";
  readonly number: number;
  readonly protocol: PortProtocol;
}
/** Zeek `time`: nanoseconds since the epoch. */
export interface TimestampValue {
  readonly type: "timestamp";
  readonly ns: bigint;
}
/** Zeek `interval`: nanoseconds. */
export interface TimespanValue {
  readonly type: "timespan";
  readonly ns: bigint;
}
/** A Zeek enum value by name, such as `Cluster::WORKER` or `tcp`. */
export interface EnumValue {
  readonly type: "enum";
  readonly name: string;
}
/** Zeek `set`: elements (a composite key is a vector). Encoders write them in broker's canonical order. */
export interface SetValue {
  readonly type: "set";
  readonly elements: readonly ZeekValue[];
}
/** Zeek `table`: key/value pairs. Encoders write them in broker's canonical key order. */
export interface TableValue {
  readonly type: "table";
  readonly entries: readonly (readonly [ZeekValue, ZeekValue])[];
}
/** Zeek `vector`, and also how records (fields in order, `none` for unset) and event arguments travel. */
export interface VectorValue {
  readonly type: "vector";
  readonly elements: readonly ZeekValue[];
}

/** Port protocols by their wire number (0 unknown, 1 tcp, 2 udp, 3 icmp). */
export const PORT_PROTOCOLS: readonly PortProtocol[] = ["unknown", "tcp", "udp", "icmp"];
