import { EncodeError } from "../errors.js";
import { formatFamilyAddress, parseFamilyAddress } from "./address.js";
import {
  LOG_PORT_PROTOCOLS,
  LOG_TYPE_TAGS,
  type LogAbsent,
  type LogAddr,
  type LogBool,
  type LogCount,
  type LogDouble,
  type LogEnum,
  type LogField,
  type LogFile,
  type LogFunc,
  type LogInt,
  type LogInterval,
  type LogPort,
  type LogPortProtocol,
  type LogSet,
  type LogString,
  type LogSubnet,
  type LogTime,
  type LogValue,
  type LogValueType,
  type LogVector,
  TypeTag,
  ZEEK_BIN_SERIALIZER,
} from "./model.js";

const U64_MAX = (1n << 64n) - 1n;

function fail(reason: "out_of_range" | "bad_value", detail: string): never {
  throw new EncodeError(ZEEK_BIN_SERIALIZER, reason, detail);
}

function toBigInt(kind: string, value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  return Number.isSafeInteger(value)
    ? BigInt(value)
    : fail("out_of_range", `${kind} ${value} is not a safe integer`);
}

/** Zeroes every bit of the address past the first `bits`. */
function mask(bytes: Uint8Array, bits: number): Uint8Array {
  return bytes.map((byte, i) => byte & (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))));
}

function tagOf(type: LogValueType | number): number {
  return typeof type === "number" ? type : LOG_TYPE_TAGS[type];
}

// Zeek writes subtype VOID for every value it logs (`ValToLogVal`), containers included.
const VOID = TypeTag.VOID;

/**
 * The port of text that is exactly 1 to 5 decimal digits up to 65535, a slash and a protocol name (`"443/tcp"`,
 * the common text), read without splitting it. Undefined for any other text: the general path reads it or refuses it.
 */
function portFromText(text: string): LogPort | undefined {
  const slash = text.indexOf("/");
  if (slash < 1 || slash > 5) return undefined;
  let number = 0;
  for (let i = 0; i < slash; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    number = number * 10 + digit;
  }
  if (number > 65535) return undefined;
  const protocol = text.slice(slash + 1);
  return protocol === "tcp" || protocol === "udp" || protocol === "icmp" || protocol === "unknown"
    ? { type: "port", present: true, subtype: VOID, number, protocol }
    : undefined;
}

/**
 * Constructors for log values, validating ranges where the value is made. Every value gets subtype VOID (0), as
 * Zeek's logging framework writes it; spread a value to give it another (`{ ...LogValues.time(1), subtype: 22 }`).
 *
 * @example
 * ```ts
 * const record = [LogValues.time(Date.now() / 1000), LogValues.addr("192.0.2.1"), LogValues.port(443, "tcp"),
 *   LogValues.absent("string")];
 * ```
 */
export const LogValues = {
  /** A Zeek `bool`. */
  bool: (value: boolean): LogBool => ({ type: "bool", present: true, subtype: VOID, value }),
  /** A Zeek `int` (-2^63 … 2^63-1). */
  int(value: number | bigint): LogInt {
    // A safe integer is within int64: no BigInt comparisons needed.
    if (typeof value === "number" && Number.isSafeInteger(value))
      return { type: "int", present: true, subtype: VOID, value: BigInt(value) };
    const n = toBigInt("int", value);
    if (BigInt.asIntN(64, n) !== n) fail("out_of_range", `int ${n} is outside int64`);
    return { type: "int", present: true, subtype: VOID, value: n };
  },
  /** A Zeek `count` (0 … 2^64-1). */
  count(value: number | bigint): LogCount {
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
      return { type: "count", present: true, subtype: VOID, value: BigInt(value) };
    const n = toBigInt("count", value);
    if (n < 0n || n > U64_MAX) fail("out_of_range", `count ${n} is outside 0 … 2^64-1`);
    return { type: "count", present: true, subtype: VOID, value: n };
  },
  /** A Zeek `double`. */
  double: (value: number): LogDouble => ({ type: "double", present: true, subtype: VOID, value }),
  /** A Zeek `time` from epoch seconds or a Date. */
  time: (at: number | Date): LogTime => ({
    type: "time",
    present: true,
    subtype: VOID,
    value: typeof at === "number" ? at : at.getTime() / 1000,
  }),
  /** A Zeek `interval` in seconds. */
  interval: (seconds: number): LogInterval => ({
    type: "interval",
    present: true,
    subtype: VOID,
    value: seconds,
  }),
  /** A Zeek `string`: text (sent as UTF-8) or raw bytes. */
  string: (value: string | Uint8Array): LogString => ({
    type: "string",
    present: true,
    subtype: VOID,
    value,
  }),
  /** A Zeek enum value by its name, e.g. `tcp` or `Notice::ACTION_LOG`. */
  enum: (name: string): LogEnum => ({ type: "enum", present: true, subtype: VOID, name }),
  /** A Zeek `port`, from a number and protocol or from `"443/tcp"`. */
  port(number: number | string, protocol: LogPortProtocol = "unknown"): LogPort {
    if (typeof number === "string") {
      const parsed = portFromText(number);
      if (parsed !== undefined) return parsed;
      const [digits = "", proto = "unknown"] = number.split("/");
      return LogValues.port(Number(digits), proto as LogPortProtocol);
    }
    if (!Number.isInteger(number) || number < 0 || number > 65535)
      fail("out_of_range", `port ${number} is outside 0 … 65535`);
    if (!LOG_PORT_PROTOCOLS.includes(protocol))
      fail("bad_value", `port protocol '${protocol}' is not unknown/tcp/udp/icmp`);
    return { type: "port", present: true, subtype: VOID, number, protocol };
  },
  /** A Zeek `addr` from its text form (IPv6 text is normalised). */
  addr(text: string): LogAddr {
    const address = parseFamilyAddress(text) ?? fail("bad_value", `'${text}' is not an IPv4 or IPv6 address`);
    return { type: "addr", present: true, subtype: VOID, value: formatFamilyAddress(address.bytes) };
  },
  /** A Zeek `subnet` from `"10.0.0.0/8"` or an address and a length; host bits are masked off, as Zeek does. */
  subnet(text: string, length?: number): LogSubnet {
    const [address = "", bits = ""] = length === undefined ? text.split("/") : [text, String(length)];
    const parsed = parseFamilyAddress(address);
    const n = Number(bits);
    if (!parsed || bits === "" || !Number.isInteger(n))
      fail("bad_value", `'${text}' is not a subnet such as 10.0.0.0/8`);
    const v4 = parsed.family === 4;
    if (n < 0 || n > (v4 ? 32 : 128)) fail("out_of_range", `subnet length ${n} is out of range`);
    return {
      type: "subnet",
      present: true,
      subtype: VOID,
      address: formatFamilyAddress(mask(parsed.bytes, n)),
      length: n,
    };
  },
  /** A Zeek `set`, elements in the given order. */
  set: (elements: readonly LogValue[]): LogSet => ({ type: "set", present: true, subtype: VOID, elements }),
  /** A Zeek `vector`. */
  vector: (elements: readonly LogValue[]): LogVector => ({
    type: "vector",
    present: true,
    subtype: VOID,
    elements,
  }),
  /** A Zeek `file` by its name. */
  file: (name: string | Uint8Array): LogFile => ({ type: "file", present: true, subtype: VOID, value: name }),
  /** A Zeek `func` by its description. */
  func: (description: string | Uint8Array): LogFunc => ({
    type: "func",
    present: true,
    subtype: VOID,
    value: description,
  }),
  /** An unset value of a column's type, e.g. `LogValues.absent("string")` (Zeek sends the column's type tag). */
  absent: (type: LogValueType | number): LogAbsent => ({ present: false, tag: tagOf(type), subtype: VOID }),
} as const;

/** How to describe a column beyond its name and type. */
export interface LogFieldOptions {
  /** Element type of a set or vector column (Zeek writes it as the column's subtype). */
  readonly element?: LogValueType;
  readonly optional?: boolean;
  readonly secondaryName?: string;
}

/**
 * A column as Zeek's logging framework describes it: subtype VOID, except a set or vector column, whose subtype
 * is its element type (`Manager::TraverseRecord`).
 *
 * @example
 * ```ts
 * const fields = [logField("ts", "time"), logField("tunnel_parents", "set", { element: "string", optional: true })];
 * ```
 */
export function logField(name: string, type: LogValueType, options: LogFieldOptions = {}): LogField {
  const container = type === "set" || type === "vector";
  if (container !== (options.element !== undefined))
    fail("bad_value", `column '${name}': an element type is given exactly for set and vector columns`);
  const field: LogField = {
    name,
    type: LOG_TYPE_TAGS[type],
    subtype: options.element === undefined ? VOID : LOG_TYPE_TAGS[options.element],
    optional: options.optional ?? false,
  };
  return options.secondaryName === undefined ? field : { ...field, secondaryName: options.secondaryName };
}
