// broker-json-v1 writer: the exact text of zeek/broker's `format::json::v1::encode` (libbroker/broker/format/json.hh,
// json.cc), built as a "binary string" (one char per byte) because broker copies string bytes verbatim, so a
// payload holding a non-UTF-8 Zeek string is not UTF-8 either.
import { MAX_DEPTH } from "../broker-bin/encode.js";
import { EncodeError, type EncodeReason } from "../errors.js";
import { addressToBytes, bytesToAddress, isV4Mapped, maskBytes } from "../value/address.js";
import type { PortProtocol, SubnetValue, ValueType, ZeekValue } from "../value/model.js";
import { sortCanonical } from "../value/order.js";

const FORMAT = "broker-json-v1";
const U64_MAX = (1n << 64n) - 1n;
const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_MILLISECOND = 1_000_000n;

/** The `@data-type` name of each value type (zeek/broker `variant_tag.cc`, `json_type_names`). */
export const BROKER_JSON_TYPE_NAMES: Readonly<Record<ValueType, string>> = {
  none: "none",
  boolean: "boolean",
  count: "count",
  integer: "integer",
  real: "real",
  string: "string",
  address: "address",
  subnet: "subnet",
  port: "port",
  timestamp: "timestamp",
  timespan: "timespan",
  enum: "enum-value",
  set: "set",
  table: "table",
  vector: "vector",
};

/** Options of the broker-json encoders. */
export interface BrokerJsonEncodeOptions {
  /**
   * `"broker"` (default) writes what Zeek writes, including its lossy forms: reals as C's `%f` (6 decimals) and
   * timestamps to the millisecond. `"exact"` keeps every real and nanosecond (more fraction digits where needed)
   * in text Zeek still reads: zmqc peers read it back exactly, and Zeek gets every timestamp exactly but a real
   * only to its reader's precision (CAF's number parser is not correctly rounded, often off by one ulp). Where
   * broker's form is already exact the two are identical.
   *
   * Both depart from broker's bytes only where Zeek could not read them: NUL in a string is written `\u0000`,
   * and a real from 2^64 (below -2^63) in exponent form.
   */
  readonly precision?: "broker" | "exact";
}

type Precision = NonNullable<BrokerJsonEncodeOptions["precision"]>;

function fail(reason: EncodeReason, detail: string): never {
  throw new EncodeError(FORMAT, reason, detail);
}

// broker's `quoted` escapes only these; every other byte, control characters and non-UTF-8 included, goes out as
// is. NUL is the one exception we make: broker writes it raw, and Zeek's own reader (CAF) takes a raw NUL for the
// end of the input, so we write \u0000, which CAF reads back as the NUL byte.
const ESCAPES = new Map<number, string>([
  [0x00, "\\u0000"],
  [0x08, "\\b"],
  [0x09, "\\t"],
  [0x0a, "\\n"],
  [0x0b, "\\v"],
  [0x0c, "\\f"],
  [0x0d, "\\r"],
  [0x22, '\\"'],
  [0x5c, "\\\\"],
]);

/** A JSON string literal of some bytes, as a binary string. */
function quoted(value: string | Uint8Array): string {
  const bytes =
    typeof value === "string"
      ? Buffer.from(value, "utf8")
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  let out = '"';
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const escaped = ESCAPES.get(bytes[i] as number);
    if (escaped === undefined) continue;
    out += bytes.toString("latin1", run, i) + escaped;
    run = i + 1;
  }
  return `${out + bytes.toString("latin1", run)}"`;
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * C's `printf("%f", x)` for a finite double: the exact binary value rounded to 6 decimals, ties to even (glibc's
 * default rounding), with no exponent however large. Done in bigint arithmetic on the double's exact value.
 */
function formatFixed6(x: number): string {
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  bits.setFloat64(0, Math.abs(x));
  const raw = bits.getBigUint64(0);
  const exponent = Number(raw >> 52n);
  const fraction = raw & ((1n << 52n) - 1n);
  // x = mantissa * 2^power exactly.
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const power = exponent === 0 ? -1074 : exponent - 1075;
  let micros: bigint;
  if (power >= 0) {
    micros = (mantissa << BigInt(power)) * 1_000_000n;
  } else {
    const shift = BigInt(-power);
    const scaled = mantissa * 1_000_000n;
    micros = scaled >> shift;
    const rest = scaled - (micros << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (micros & 1n) === 1n)) micros += 1n;
  }
  return `${sign}${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;
}

function realText(x: number, precision: Precision): string {
  if (Number.isNaN(x)) return "nan"; // CAF's reader accepts `nan` (not `-nan`, which glibc prints for some NaNs)
  if (!Number.isFinite(x)) {
    fail(
      "out_of_range",
      `real ${x} cannot be sent: broker writes it as '${x > 0 ? "inf" : "-inf"}', which no JSON reader, Zeek's ` +
        "included, accepts; use broker-bin-v1",
    );
  }
  // CAF reads the digits before the point into a uint64 (int64 when negative) and fails past it, so Zeek cannot
  // read broker's %f text of such a real (checked against Zeek 8.2.2); the shortest exponent form it can.
  if (x >= 2 ** 64 || x < -(2 ** 63)) return x.toExponential();
  const fixed = formatFixed6(x);
  if (precision === "broker" || Object.is(Number(fixed), x)) return fixed;
  // Not an integer (those %f prints exactly), so the shortest round-trip form has a '.' or an exponent and CAF
  // reads it as a double, not an integer.
  return String(x);
}

/** `YYYY-MM-DDTHH:MM:SS` of whole seconds since the epoch, UTC. */
function civilSeconds(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
}

function timestampText(ns: bigint, precision: Precision): string {
  if (precision === "broker") {
    // encode_to_buf: seconds and milliseconds are both truncated toward zero (duration_cast), and only a positive
    // millisecond part is printed, so a negative time loses its fraction and rounds up to the second.
    const millis = (ns / NS_PER_MILLISECOND) % 1000n;
    return `${civilSeconds(ns / NS_PER_SECOND)}.${millis > 0n ? millis.toString().padStart(3, "0") : "000"}`;
  }
  let seconds = ns / NS_PER_SECOND;
  let fraction = ns % NS_PER_SECOND;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += NS_PER_SECOND;
  }
  const digits = fraction.toString().padStart(9, "0");
  const kept = digits.endsWith("000000") ? 3 : digits.endsWith("000") ? 6 : 9;
  return `${civilSeconds(seconds)}.${digits.slice(0, kept)}`;
}

/** broker's timespan text: the coarsest of ns, us, ms, s that keeps every digit; zero is `0s`. */
function timespanText(ns: bigint): string {
  if (ns === 0n) return "0s";
  let value = ns;
  for (const unit of ["ns", "us", "ms"]) {
    if (value % 1000n !== 0n) return `${value}${unit}`;
    value /= 1000n;
  }
  return `${value}s`;
}

const PORT_SUFFIX: Readonly<Record<PortProtocol, string>> = {
  unknown: "?",
  tcp: "tcp",
  udp: "udp",
  icmp: "icmp",
};

function addressBytes(text: string): Uint8Array {
  return addressToBytes(text) ?? fail("bad_value", `'${text}' is not an address`);
}

/** `network/length` with the host bits masked off, as broker's subnet constructor does. */
function subnetText(value: SubnetValue): string {
  const bytes = addressBytes(value.address);
  const v4 = isV4Mapped(bytes);
  if (!Number.isInteger(value.length) || value.length < 0 || value.length > (v4 ? 32 : 128)) {
    fail("out_of_range", `subnet length ${value.length} is out of range for ${value.address}`);
  }
  return `${bytesToAddress(maskBytes(bytes, v4 ? value.length + 96 : value.length))}/${value.length}`;
}

/** Set elements / table entries in broker's order; the same key twice is refused (broker's decoder would). */
function canonical<T>(items: readonly T[], keyOf: (item: T) => ZeekValue, what: string): T[] {
  const { sorted, duplicate } = sortCanonical(items, keyOf);
  if (duplicate) fail("bad_value", `${what} holds the same key twice`);
  return sorted;
}

const tagged = (value: ZeekValue, data: string): string =>
  `{"@data-type":"${BROKER_JSON_TYPE_NAMES[value.type]}","data":${data}}`;

/** One value as broker-json text, in a binary string (one char per output byte). */
function write(value: ZeekValue, depth: number, precision: Precision): string {
  switch (value.type) {
    case "none":
      return tagged(value, "{}");
    case "boolean":
      return tagged(value, value.value ? "true" : "false");
    case "count":
      if (value.value < 0n || value.value > U64_MAX)
        fail("out_of_range", `count ${value.value} is outside 0 … 2^64-1`);
      return tagged(value, value.value.toString());
    case "integer":
      if (BigInt.asIntN(64, value.value) !== value.value)
        fail("out_of_range", `integer ${value.value} is outside int64`);
      return tagged(value, value.value.toString());
    case "real":
      return tagged(value, realText(value.value, precision));
    case "string":
      return tagged(value, quoted(value.value));
    case "address":
      return tagged(value, quoted(bytesToAddress(addressBytes(value.value))));
    case "subnet":
      return tagged(value, quoted(subnetText(value)));
    case "port":
      if (!Number.isInteger(value.number) || value.number < 0 || value.number > 65535)
        fail("out_of_range", `port ${value.number} is outside 0 … 65535`);
      if (!Object.hasOwn(PORT_SUFFIX, value.protocol))
        fail("bad_value", `port protocol '${value.protocol}' is not unknown, tcp, udp or icmp`);
      return tagged(value, `"${value.number}/${PORT_SUFFIX[value.protocol]}"`);
    case "timestamp":
    case "timespan":
      if (BigInt.asIntN(64, value.ns) !== value.ns)
        fail("out_of_range", `${value.type} ${value.ns} ns is outside int64`);
      return tagged(
        value,
        `"${value.type === "timestamp" ? timestampText(value.ns, precision) : timespanText(value.ns)}"`,
      );
    case "enum":
      return tagged(value, quoted(value.name));
    case "vector":
    case "set":
    case "table": {
      // Containers at MAX_DEPTH are refused here exactly as the decoder refuses them, so what we write reads back.
      if (depth >= MAX_DEPTH) fail("too_deep", `containers nest deeper than ${MAX_DEPTH}`);
      const items =
        value.type === "table"
          ? canonical(value.entries, ([key]) => key, "table").map(
              ([key, entry]) =>
                `{"key":${write(key, depth + 1, precision)},"value":${write(entry, depth + 1, precision)}}`,
            )
          : (value.type === "set"
              ? canonical(value.elements, (element) => element, "set")
              : value.elements
            ).map((element) => write(element, depth + 1, precision));
      return tagged(value, `[${items.join(",")}]`);
    }
    default:
      return fail("bad_value", `unknown value type '${(value as { type?: unknown }).type}'`);
  }
}

/**
 * Encodes one value in `broker-json-v1`: the bytes of the JSON text (UTF-8 whenever every string in the value
 * is; broker copies other string bytes verbatim). Sets and tables are written in broker's canonical order.
 *
 * @example
 * ```ts
 * encodeBrokerJsonValue(Value.port(443, "tcp")); // {"@data-type":"port","data":"443/tcp"}
 * ```
 */
export function encodeBrokerJsonValue(value: ZeekValue, options: BrokerJsonEncodeOptions = {}): Uint8Array {
  const buffer = Buffer.from(write(value, 0, options.precision ?? "broker"), "latin1");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Encodes one value as `broker-json-v1` text. Throws an EncodeError when a string in the value is not UTF-8 (its
 * JSON cannot be a JS string without loss); {@link encodeBrokerJsonValue} gives the bytes for those.
 */
export function encodeBrokerJsonText(value: ZeekValue, options: BrokerJsonEncodeOptions = {}): string {
  try {
    return strictUtf8.decode(encodeBrokerJsonValue(value, options));
  } catch (error) {
    if (EncodeError.isEncodeError(error)) throw error;
    return fail("bad_value", "a string in the value is not UTF-8; use encodeBrokerJsonValue for the bytes");
  }
}
