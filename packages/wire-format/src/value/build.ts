import { EncodeError } from "../errors.js";
import { addressToBytes, bytesToAddress, isV4Mapped, maskBytes } from "./address.js";
import type {
  AddressValue,
  BooleanValue,
  CountValue,
  EnumValue,
  IntegerValue,
  NoneValue,
  PortProtocol,
  PortValue,
  RealValue,
  SetValue,
  StringValue,
  SubnetValue,
  TableValue,
  TimespanValue,
  TimestampValue,
  VectorValue,
  ZeekValue,
} from "./model.js";

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const NS_PER_SECOND = 1_000_000_000;

function toBigInt(kind: string, value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw new EncodeError("value", "out_of_range", `${kind} ${value} is not a safe integer; pass a bigint`);
  }
  return BigInt(value);
}

/** Zeek's `double` seconds → nanoseconds, truncated as Zeek does (`int64(seconds * 1e9)`). */
function secondsToNs(kind: string, seconds: number): bigint {
  if (!Number.isFinite(seconds))
    throw new EncodeError("value", "out_of_range", `${kind} ${seconds} is not finite`);
  return BigInt(Math.trunc(seconds * NS_PER_SECOND));
}

const NONE: NoneValue = Object.freeze({ type: "none" });

/**
 * Constructors for every value type, validating ranges so a bad value fails where it is made.
 *
 * @example
 * ```ts
 * Value.vector([Value.string("worker-1"), Value.count(42), Value.port(443, "tcp"), Value.time(new Date())]);
 * ```
 */
export const Value = {
  /** An absent value (an unset record field). */
  none: (): NoneValue => NONE,
  boolean: (value: boolean): BooleanValue => ({ type: "boolean", value }),
  /** A Zeek `count` (0 … 2^64-1). */
  count(value: number | bigint): CountValue {
    const n = toBigInt("count", value);
    if (n < 0n || n > U64_MAX)
      throw new EncodeError("value", "out_of_range", `count ${n} is outside 0 … 2^64-1`);
    return { type: "count", value: n };
  },
  /** A Zeek `int` (-2^63 … 2^63-1). */
  integer(value: number | bigint): IntegerValue {
    const n = toBigInt("integer", value);
    if (n < I64_MIN || n > I64_MAX)
      throw new EncodeError("value", "out_of_range", `integer ${n} is outside the int64 range`);
    return { type: "integer", value: n };
  },
  real: (value: number): RealValue => ({ type: "real", value }),
  /** A Zeek `string`: text (sent as UTF-8) or raw bytes. */
  string: (value: string | Uint8Array): StringValue => ({ type: "string", value }),
  /** A Zeek `addr` from its text form. */
  address(text: string): AddressValue {
    const bytes = addressToBytes(text);
    if (!bytes) throw new EncodeError("value", "bad_value", `'${text}' is not an IPv4 or IPv6 address`);
    return { type: "address", value: bytesToAddress(bytes) };
  },
  /** A Zeek `subnet` from `"10.0.0.0/8"` or an address and a length; host bits are masked off, as broker does. */
  subnet(text: string, length?: number): SubnetValue {
    const [address = "", lengthText] = length === undefined ? text.split("/") : [text, String(length)];
    const bytes = addressToBytes(address);
    const bits = Number(lengthText);
    if (!bytes || lengthText === undefined || !Number.isInteger(bits)) {
      throw new EncodeError("value", "bad_value", `'${text}' is not a subnet such as 10.0.0.0/8`);
    }
    const v4 = isV4Mapped(bytes);
    if (bits < 0 || bits > (v4 ? 32 : 128))
      throw new EncodeError("value", "out_of_range", `subnet length ${bits} is out of range`);
    return { type: "subnet", address: bytesToAddress(maskBytes(bytes, v4 ? bits + 96 : bits)), length: bits };
  },
  /** A Zeek `port`, from a number and protocol or from `"443/tcp"`. */
  port(number: number | string, protocol: PortProtocol = "unknown"): PortValue {
    if (typeof number === "string") {
      const [digits, proto] = number.split("/");
      return Value.port(Number(digits), (proto ?? "unknown") as PortProtocol);
    }
    if (!Number.isInteger(number) || number < 0 || number > 65535) {
      throw new EncodeError("value", "out_of_range", `port ${number} is outside 0 … 65535`);
    }
    if (!["unknown", "tcp", "udp", "icmp"].includes(protocol)) {
      throw new EncodeError(
        "value",
        "bad_value",
        `port protocol '${protocol}' is not unknown, tcp, udp or icmp`,
      );
    }
    return { type: "port", number, protocol };
  },
  /** A Zeek `time` from a Date or epoch seconds (truncated to ns, as Zeek does). */
  time: (at: Date | number): TimestampValue => ({
    type: "timestamp",
    ns: typeof at === "number" ? secondsToNs("time", at) : BigInt(at.getTime()) * 1_000_000n,
  }),
  /** A Zeek `time` from nanoseconds since the epoch. */
  timeNs: (ns: bigint): TimestampValue => ({ type: "timestamp", ns: BigInt.asIntN(64, ns) }),
  /** A Zeek `interval` from seconds (truncated to ns). */
  interval: (seconds: number): TimespanValue => ({ type: "timespan", ns: secondsToNs("interval", seconds) }),
  /** A Zeek `interval` from nanoseconds. */
  intervalNs: (ns: bigint): TimespanValue => ({ type: "timespan", ns: BigInt.asIntN(64, ns) }),
  /** A Zeek enum value by its registered name, e.g. `Cluster::WORKER`. */
  enum: (name: string): EnumValue => ({ type: "enum", name }),
  set: (elements: readonly ZeekValue[]): SetValue => ({ type: "set", elements }),
  table: (entries: readonly (readonly [ZeekValue, ZeekValue])[]): TableValue => ({ type: "table", entries }),
  vector: (elements: readonly ZeekValue[]): VectorValue => ({ type: "vector", elements }),
  /** A Zeek record: its fields in declaration order, `undefined` for an unset field (sent as `none`). */
  record: (fields: readonly (ZeekValue | undefined)[]): VectorValue => ({
    type: "vector",
    elements: fields.map((field) => field ?? NONE),
  }),
} as const;

/** Seconds (a JS number, as Zeek's `double`) of a timestamp or timespan: `double(ns) / 1e9`, as Zeek reads it. */
export function toSeconds(value: TimestampValue | TimespanValue): number {
  return Number(value.ns) / NS_PER_SECOND;
}
