// broker-json-v1 reader. Zeek reads this format with CAF's JSON parser and broker's `to_binary_impl`
// (zeek/broker libbroker/broker/internal/json.cc), which accept a dialect, not strict JSON: raw control and
// non-UTF-8 bytes inside strings, a `\v` escape, a bare `nan`. JSON.parse accepts none of that and rounds big
// integers (Node 20 has no reviver source text), so this is a small byte-level parser that keeps number text.
// It is at least as strict as Zeek: what Zeek rejects is a DecodeError; what Zeek lets through but a careful
// receiver wants to know about is reported through `onAnomaly`.
import { isUtf8 } from "node:buffer";
import { hasDuplicate } from "../broker-bin/decode.js";
import { MAX_DEPTH } from "../broker-bin/encode.js";
import { DecodeError, type DecodeReason } from "../errors.js";
import { addressToBytes, bytesToAddress, isV4Mapped, maskBytes } from "../value/address.js";
import type { PortProtocol, ValueType, ZeekValue } from "../value/model.js";
import { BROKER_JSON_TYPE_NAMES } from "./encode.js";

const FORMAT = "broker-json-v1";
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const NONE: ZeekValue = Object.freeze({ type: "none" });
const TRUE: ZeekValue = Object.freeze({ type: "boolean", value: true });
const FALSE: ZeekValue = Object.freeze({ type: "boolean", value: false });

/** Options of the broker-json decoders. */
export interface BrokerJsonDecodeOptions {
  /** Deepest container nesting accepted (default 64): a nesting bomb is an error, not a stack overflow. */
  readonly maxDepth?: number;
  /** Called once per distinct leniency taken (an unknown key ignored, a port without protocol read as tcp, …). */
  readonly onAnomaly?: (message: string) => void;
}

function fail(reason: DecodeReason, at: number, detail: string): never {
  throw new DecodeError(FORMAT, reason, at, detail);
}

// ---------------------------------------------------------------------------------------------------------------
// The JSON dialect, into a tree that keeps every byte offset, the raw text of numbers and the bytes of strings.

type JsonNode =
  | { readonly kind: "object"; readonly at: number; readonly members: ReadonlyMap<string, JsonNode> }
  | { readonly kind: "array"; readonly at: number; readonly items: readonly JsonNode[] }
  | { readonly kind: "string"; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: "number"; readonly at: number; readonly text: string }
  | { readonly kind: "boolean"; readonly at: number; readonly value: boolean }
  | { readonly kind: "null"; readonly at: number };

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** The value of an ASCII hex digit, or -1. */
function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (isDigit(c)) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}
const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

// Keys, type names and numbers are short and ASCII: building them char by char beats a Buffer view per call.
const SHORT = 32;

/** Bytes as a string of the same length, one char per byte. */
function latin1(bytes: Uint8Array): string {
  if (bytes.length > SHORT) return asBuffer(bytes).toString("latin1");
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

/** Bytes as text when they are valid UTF-8, else undefined. */
function utf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.length <= SHORT && bytes.every((byte) => byte < 0x80)) return latin1(bytes);
  return isUtf8(bytes) ? asBuffer(bytes).toString("utf8") : undefined;
}

const SIMPLE_ESCAPES = new Map<number, Uint8Array>(
  (
    [
      [0x22, 0x22],
      [0x5c, 0x5c],
      [0x2f, 0x2f],
      [0x62, 0x08],
      [0x66, 0x0c],
      [0x6e, 0x0a],
      [0x72, 0x0d],
      [0x74, 0x09],
      [0x76, 0x0b], // \v: broker writes it, CAF reads it, RFC 8259 has no such escape
    ] as const
  ).map(([letter, byte]) => [letter, Uint8Array.of(byte)]),
);

// ±inf and negative NaNs as glibc prints them: broker writes them, but CAF (so Zeek) cannot read them back.
const UNREADABLE_REAL =
  "a real written as inf, -inf or -nan (broker writes these, but no JSON reader, Zeek's included, accepts them)";

class JsonReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxNesting: number,
  ) {}

  /** The one value the text holds; anything after it but whitespace is an error. */
  document(): JsonNode {
    const node = this.value(0);
    this.skipSpace();
    if (this.pos < this.bytes.length)
      fail("trailing_bytes", this.pos, `${this.bytes.length - this.pos} bytes after the JSON value`);
    return node;
  }

  private peek(): number | undefined {
    return this.bytes[this.pos];
  }

  private skipSpace(): void {
    while (isSpace(this.peek())) this.pos++;
  }

  /** Fails for the byte at the cursor: `truncated` at the end of the input, `bad_value` otherwise. */
  private unexpected(expected: string): never {
    const c = this.peek();
    if (c === undefined) fail("truncated", this.pos, `the JSON text ends where ${expected} should be`);
    const shown = c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
    return fail("bad_value", this.pos, `${shown} where ${expected} should be`);
  }

  private value(nesting: number): JsonNode {
    this.skipSpace();
    const at = this.pos;
    switch (this.peek()) {
      case 0x7b:
        return this.object(nesting + 1);
      case 0x5b:
        return this.array(nesting + 1);
      case 0x22:
        return { kind: "string", at, bytes: this.string() };
      case 0x74:
        this.literal("true");
        return { kind: "boolean", at, value: true };
      case 0x66:
        this.literal("false");
        return { kind: "boolean", at, value: false };
      case 0x6e:
        // CAF reads a bare `nan` as a double, and broker writes NaN that way.
        if (this.bytes[at + 1] === 0x61) {
          this.literal("nan");
          return { kind: "number", at, text: "nan" };
        }
        this.literal("null");
        return { kind: "null", at };
      case 0x69:
        return fail("bad_value", at, UNREADABLE_REAL);
      default:
        if (this.peek() === 0x2d || isDigit(this.peek())) return this.number();
        return this.unexpected("a JSON value");
    }
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.peek() !== word.charCodeAt(i)) this.unexpected(`'${word}'`);
      this.pos++;
    }
  }

  private digits(what: string): void {
    if (!isDigit(this.peek())) this.unexpected(what);
    while (isDigit(this.peek())) this.pos++;
  }

  /** RFC 8259 number syntax (no '+', leading zeros, hex or octal, all of which CAF would take). */
  private number(): JsonNode {
    const at = this.pos;
    if (this.peek() === 0x2d) {
      this.pos++;
      if (this.peek() === 0x69 || this.peek() === 0x6e) fail("bad_value", at, UNREADABLE_REAL);
    }
    if (this.peek() === 0x30) this.pos++;
    else this.digits("a digit");
    if (this.peek() === 0x2e) {
      this.pos++;
      this.digits("a digit after the decimal point");
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.pos++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.pos++;
      this.digits("an exponent");
    }
    return { kind: "number", at, text: latin1(this.bytes.subarray(at, this.pos)) };
  }

  private hex4(): number {
    let unit = 0;
    for (let i = 0; i < 4; i++) {
      const digit = hexValue(this.peek());
      if (digit < 0) this.unexpected("a hex digit of a \\u escape");
      unit = unit * 16 + digit;
      this.pos++;
    }
    return unit;
  }

  /** A `\uXXXX` escape (the cursor after the `u`), pairing surrogates, as UTF-8 bytes. */
  private unicodeEscape(at: number): Uint8Array {
    const unit = this.hex4();
    let codePoint = unit;
    if (unit >= 0xdc00 && unit <= 0xdfff)
      fail("bad_value", at, "a \\u escape holds an unpaired low surrogate");
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (this.bytes[this.pos] !== 0x5c || this.bytes[this.pos + 1] !== 0x75) {
        fail("bad_value", at, "a \\u escape holds a high surrogate with no low surrogate after it");
      }
      this.pos += 2;
      const low = this.hex4();
      if (low < 0xdc00 || low > 0xdfff)
        fail("bad_value", at, "a high surrogate is followed by no low surrogate");
      codePoint = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    }
    return Buffer.from(String.fromCodePoint(codePoint), "utf8");
  }

  /** A string's bytes after unescaping. Raw bytes are taken as they are: broker writes them so. */
  private string(): Uint8Array {
    const open = this.pos++;
    const chunks: Uint8Array[] = [];
    let run = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === undefined) fail("truncated", open, "the JSON text ends inside a string");
      if (c === 0x22) break;
      if (c === 0x00) {
        fail(
          "bad_value",
          this.pos,
          "a raw NUL byte in a string (Zeek's reader takes it for the end; write \\u0000)",
        );
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      const at = this.pos;
      chunks.push(this.bytes.subarray(run, at));
      this.pos++;
      const letter = this.peek();
      const simple = letter === undefined ? undefined : SIMPLE_ESCAPES.get(letter);
      if (simple !== undefined) {
        chunks.push(simple);
        this.pos++;
      } else if (letter === 0x75) {
        this.pos++;
        chunks.push(this.unicodeEscape(at));
      } else {
        this.unexpected('an escape (one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\v \\u)');
      }
      run = this.pos;
    }
    const last = this.bytes.subarray(run, this.pos);
    this.pos++;
    return chunks.length === 0 ? last : Buffer.concat([...chunks, last]);
  }

  private enter(nesting: number): number {
    const at = this.pos;
    if (nesting > this.maxNesting) fail("too_deep", at, `JSON nests deeper than ${this.maxNesting}`);
    this.pos++;
    this.skipSpace();
    return at;
  }

  private object(nesting: number): JsonNode {
    const at = this.enter(nesting);
    const members = new Map<string, JsonNode>();
    if (this.peek() === 0x7d) {
      this.pos++;
      return { kind: "object", at, members };
    }
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) this.unexpected("a key");
      const keyAt = this.pos;
      const key = latin1(this.string());
      this.skipSpace();
      if (this.peek() !== 0x3a) this.unexpected("':'");
      this.pos++;
      const node = this.value(nesting);
      // CAF keeps the first of two equal keys; other readers keep the last. Refuse rather than pick one.
      if (members.has(key))
        fail("bad_value", keyAt, `key ${JSON.stringify(key)} appears twice in one object`);
      members.set(key, node);
      this.skipSpace();
      if (this.peek() === 0x7d) break;
      if (this.peek() !== 0x2c) this.unexpected("',' or '}'");
      this.pos++;
    }
    this.pos++;
    return { kind: "object", at, members };
  }

  private array(nesting: number): JsonNode {
    const at = this.enter(nesting);
    const items: JsonNode[] = [];
    if (this.peek() === 0x5d) {
      this.pos++;
      return { kind: "array", at, items };
    }
    for (;;) {
      items.push(this.value(nesting));
      this.skipSpace();
      if (this.peek() === 0x5d) break;
      if (this.peek() !== 0x2c) this.unexpected("',' or ']'");
      this.pos++;
    }
    this.pos++;
    return { kind: "array", at, items };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The text forms of `data` (zeek/broker convert() for address, subnet, port; CAF's timestamp and timespan parsers).

/**
 * An address in broker's text form. Zone ids and spaces are refused (CAF refuses them). ipaddr.js reads `::a.b.c.d`
 * as IPv4-mapped, CAF as the IPv4-compatible `::a.b.c.d` (::0102:0304), so that form is spelled out first.
 */
function parseAddress(text: string): Uint8Array | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  return addressToBytes(/^::\d+\.\d+\.\d+\.\d+$/.test(text) ? `0${text}` : text);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Seconds east of UTC of `Z`, `+HH`, `+HHMM` or `+HH:MM`; no offset means UTC, as broker forces. */
function utcOffsetSeconds(text: string | undefined): number | undefined {
  if (text === undefined || text === "Z") return 0;
  const hours = Number(text.slice(1, 3));
  const minutes = text.length > 3 ? Number(text.slice(-2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (text[0] === "-" ? -1 : 1) * (hours * 3600 + minutes * 60);
}

/** ISO 8601 as CAF's `read_timestamp` takes it (1–9 fraction digits, optional UTC offset), in ns since the epoch. */
function parseTimestamp(text: string): bigint | string {
  const match = TIMESTAMP.exec(text);
  if (!match) return "is not an ISO 8601 time such as 2014-07-09T10:16:44.000";
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number);
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return "is not a valid date and time";
  }
  const offset = utcOffsetSeconds(match[8]);
  if (offset === undefined) return "has an invalid UTC offset";
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  const ns = BigInt(seconds) * 1_000_000_000n + BigInt((match[7] ?? "").padEnd(9, "0"));
  if (ns < I64_MIN || ns > I64_MAX) return "is outside the int64 nanosecond range (1677–2262)";
  return ns;
}

const TIMESPAN = /^(-?(?:0|[1-9]\d*))(ns|us|ms|s|min|h)$/;
const TIMESPAN_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  min: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * An integer and a unit, as CAF's `read_timespan` takes it. Leading zeros are refused: CAF reads `010s` as octal
 * 8 s, which no sender means.
 */
function parseTimespan(text: string): bigint | string {
  const match = TIMESPAN.exec(text);
  if (!match) return "is not an integer with a unit ns, us, ms, s, min or h, such as 23s";
  const ns = BigInt(match[1] as string) * (TIMESPAN_UNITS[match[2] as string] as bigint);
  if (ns < I64_MIN || ns > I64_MAX) return "is outside the int64 nanosecond range";
  return ns;
}

const PORT = /^(0|[1-9]\d{0,4})(?:\/(.*))?$/s;
const PORT_PROTOCOL_NAMES: ReadonlyMap<string, PortProtocol> = new Map([
  ["tcp", "tcp"],
  ["udp", "udp"],
  ["icmp", "icmp"],
  ["?", "unknown"],
]);

// ---------------------------------------------------------------------------------------------------------------
// Tree → value, with broker's checks (`to_binary_impl`, then the binary decoder's duplicate checks).

interface Context {
  readonly maxDepth: number;
  anomaly(message: string): void;
}

const JSON_TYPES = new Map<string, ValueType>(
  Object.entries(BROKER_JSON_TYPE_NAMES).map(([type, name]) => [name, type as ValueType]),
);

function describeKind(node: JsonNode | undefined): string {
  if (node === undefined) return "missing";
  return node.kind === "number" && node.text === "nan" ? "nan" : `a JSON ${node.kind}`;
}

/** The `data` node as the kind a type needs, or a `bad_value` error naming both. */
function expectKind<K extends JsonNode["kind"]>(
  data: JsonNode | undefined,
  kind: K,
  holder: JsonNode,
  what: string,
): Extract<JsonNode, { kind: K }> {
  if (data?.kind !== kind)
    fail("bad_value", data?.at ?? holder.at, `${what}, but data is ${describeKind(data)}`);
  return data as Extract<JsonNode, { kind: K }>;
}

function integerData(data: JsonNode | undefined, holder: JsonNode, type: "count" | "integer"): bigint {
  const node = expectKind(data, "number", holder, `a ${type}'s data is a JSON integer`);
  // CAF stores a number with a fraction or exponent as a double, which broker refuses for count and integer.
  if (!/^-?\d+$/.test(node.text)) fail("bad_value", node.at, `${type} data ${node.text} is not an integer`);
  const value = BigInt(node.text);
  const [min, max] = type === "count" ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
  if (value < min || value > max) {
    fail(
      "bad_value",
      node.at,
      `${type} ${node.text} is outside ${type === "count" ? "0 … 2^64-1" : "int64"}`,
    );
  }
  return value;
}

function realData(data: JsonNode | undefined, holder: JsonNode): number {
  const node = expectKind(data, "number", holder, "a real's data is a JSON number with a fraction");
  if (node.text === "nan") return Number.NaN;
  // CAF stores `5` as an integer and broker then refuses it as a real: the fraction or exponent is required.
  if (/^-?\d+$/.test(node.text)) {
    fail(
      "bad_value",
      node.at,
      `real data ${node.text} has no fraction (Zeek refuses it; write ${node.text}.0)`,
    );
  }
  const [, whole = "", fraction = "", exponent = "0"] =
    /^(-?\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(node.text) ?? [];
  // CAF reads the digits before the point into a uint64 (int64 when negative) and fails past it: Zeek cannot read
  // broker's own %f text of a real beyond 2^64.
  const integerPart = BigInt(whole);
  if (integerPart > U64_MAX || (whole.startsWith("-") && integerPart < I64_MIN)) {
    fail(
      "bad_value",
      node.at,
      `real ${node.text} has more integer digits than Zeek reads; write it with an exponent`,
    );
  }
  // CAF refuses a decimal exponent beyond ±511 once the fraction digits are counted in.
  const decimalExponent = Number(exponent) - fraction.length;
  const value = Number(node.text);
  if (!Number.isFinite(value) || Math.abs(decimalExponent) > 511) {
    fail("bad_value", node.at, `real ${node.text} is out of range for a double`);
  }
  return value;
}

/** The text of a string `data` (the forms of address, subnet, … are ASCII, so bytes map 1:1 to chars). */
function textData(data: JsonNode | undefined, holder: JsonNode, type: string): { text: string; at: number } {
  const node = expectKind(data, "string", holder, `${type} data is a JSON string`);
  return { text: latin1(node.bytes), at: node.at };
}

function addressData(data: JsonNode | undefined, holder: JsonNode): ZeekValue {
  const { text, at } = textData(data, holder, "address");
  const bytes = parseAddress(text) ?? fail("bad_value", at, `${JSON.stringify(text)} is not an address`);
  return { type: "address", value: bytesToAddress(bytes) };
}

function subnetData(data: JsonNode | undefined, holder: JsonNode, ctx: Context): ZeekValue {
  const { text, at } = textData(data, holder, "subnet");
  const slash = text.indexOf("/");
  const bytes = slash < 0 ? undefined : parseAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!bytes || !/^(0|[1-9]\d{0,2})$/.test(lengthText)) {
    fail("bad_value", at, `${JSON.stringify(text)} is not a subnet such as 10.0.0.0/8`);
  }
  const length = Number(lengthText);
  const v4 = isV4Mapped(bytes);
  // broker turns an out-of-range length into ::/0 without a word (subnet::init); that is never what was meant.
  if (length > (v4 ? 32 : 128)) fail("bad_value", at, `subnet ${text}: length ${length} is out of range`);
  const network = maskBytes(bytes, v4 ? length + 96 : length);
  const address = bytesToAddress(network);
  if (!network.every((byte, i) => byte === bytes[i])) {
    ctx.anomaly(`subnet ${text} has host bits set; read as ${address}/${length}, as broker does`);
  }
  return { type: "subnet", address, length };
}

function portData(data: JsonNode | undefined, holder: JsonNode, ctx: Context): ZeekValue {
  const { text, at } = textData(data, holder, "port");
  const match = PORT.exec(text);
  const number = Number(match?.[1]);
  if (!match || number > 65535)
    fail("bad_value", at, `${JSON.stringify(text)} is not a port such as 443/tcp`);
  const name = match[2];
  let protocol = name === undefined ? "tcp" : PORT_PROTOCOL_NAMES.get(name);
  if (name === undefined)
    ctx.anomaly(`port ${JSON.stringify(text)} has no protocol; read as tcp, as broker does`);
  if (protocol === undefined) {
    ctx.anomaly(`port ${JSON.stringify(text)} has an unknown protocol; read as unknown (?), as broker does`);
    protocol = "unknown";
  }
  return { type: "port", number, protocol };
}

function timeData(data: JsonNode | undefined, holder: JsonNode, type: "timestamp" | "timespan"): ZeekValue {
  const { text, at } = textData(data, holder, type);
  const ns = type === "timestamp" ? parseTimestamp(text) : parseTimespan(text);
  if (typeof ns === "string") fail("bad_value", at, `${type} ${JSON.stringify(text)} ${ns}`);
  return { type, ns };
}

function toValue(node: JsonNode, depth: number, ctx: Context): ZeekValue {
  if (node.kind !== "object") {
    fail(
      "bad_value",
      node.at,
      `a broker value is a JSON object with @data-type and data, not ${describeKind(node)}`,
    );
  }
  const tag = node.members.get("@data-type");
  if (tag === undefined) fail("bad_tag", node.at, "a broker value has no @data-type");
  if (tag.kind !== "string") fail("bad_tag", tag.at, "@data-type is not a string");
  const name = latin1(tag.bytes);
  const type = JSON_TYPES.get(name);
  if (type === undefined) {
    const hint = name === "enum_value" ? " (the JSON name is enum-value)" : "";
    fail("bad_tag", tag.at, `unknown @data-type ${JSON.stringify(name)}${hint}`);
  }
  for (const key of node.members.keys()) {
    if (key !== "@data-type" && key !== "data")
      ctx.anomaly(`ignored key ${JSON.stringify(key)} next to @data-type`);
  }
  const data = node.members.get("data");
  switch (type) {
    case "none":
      // broker does not look at a none's data at all.
      if (data?.kind !== "object" || data.members.size > 0)
        ctx.anomaly(`none with data ${describeKind(data)}, not {}`);
      return NONE;
    case "boolean":
      return expectKind(data, "boolean", node, "a boolean's data is true or false").value ? TRUE : FALSE;
    case "count":
    case "integer":
      return { type, value: integerData(data, node, type) };
    case "real":
      return { type, value: realData(data, node) };
    case "string": {
      const { bytes } = expectKind(data, "string", node, "a string's data is a JSON string");
      return { type, value: utf8Text(bytes) ?? new Uint8Array(bytes) };
    }
    case "address":
      return addressData(data, node);
    case "subnet":
      return subnetData(data, node, ctx);
    case "port":
      return portData(data, node, ctx);
    case "timestamp":
    case "timespan":
      return timeData(data, node, type);
    case "enum": {
      const { bytes, at } = expectKind(data, "string", node, "an enum-value's data is a JSON string");
      return { type, name: utf8Text(bytes) ?? fail("bad_value", at, "enum name is not UTF-8") };
    }
    default:
      return containerValue(type, node, data, depth, ctx);
  }
}

function containerValue(
  type: "set" | "table" | "vector",
  node: JsonNode,
  data: JsonNode | undefined,
  depth: number,
  ctx: Context,
): ZeekValue {
  const { items } = expectKind(data, "array", node, `a ${type}'s data is a JSON array`);
  if (depth >= ctx.maxDepth) fail("too_deep", node.at, `containers nest deeper than ${ctx.maxDepth}`);
  if (type !== "table") {
    const elements = items.map((item) => toValue(item, depth + 1, ctx));
    // broker's binary decoder, which the JSON is turned into first, refuses a set that names an element twice.
    if (type === "set" && hasDuplicate(elements, (element) => element))
      fail("bad_value", node.at, "set holds the same element twice");
    return { type, elements };
  }
  const entries = items.map((item): [ZeekValue, ZeekValue] => {
    if (item.kind !== "object") {
      fail("bad_value", item.at, `a table entry is an object with key and value, not ${describeKind(item)}`);
    }
    const key = item.members.get("key");
    const value = item.members.get("value");
    if (key === undefined || value === undefined)
      fail("bad_value", item.at, "a table entry lacks key or value");
    for (const name of item.members.keys()) {
      if (name !== "key" && name !== "value")
        ctx.anomaly(`ignored key ${JSON.stringify(name)} in a table entry`);
    }
    return [toValue(key, depth + 1, ctx), toValue(value, depth + 1, ctx)];
  });
  if (hasDuplicate(entries, ([key]) => key)) fail("bad_value", node.at, "table holds the same key twice");
  return { type, entries };
}

/** Anything a decoder hits that is not already a DecodeError (a stack overflow, a throwing callback) as one. */
function asDecodeError(error: unknown): DecodeError {
  if (DecodeError.isDecodeError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const deep = error instanceof RangeError && /call stack/i.test(message);
  return new DecodeError(FORMAT, deep ? "too_deep" : "bad_value", 0, message);
}

/**
 * Decodes one complete `broker-json-v1` value from its bytes (or text). Strict: malformed JSON, an unknown
 * `@data-type`, a `data` of the wrong shape or range, duplicate set elements or table keys, and nesting past
 * `maxDepth` are DecodeErrors with the byte offset of the culprit. Throws nothing else.
 */
export function decodeBrokerJsonValue(
  input: Uint8Array | string,
  options: BrokerJsonDecodeOptions = {},
): ZeekValue {
  try {
    const given = typeof input === "string" ? Buffer.from(input, "utf8") : input;
    // A plain view, so the subarrays made while parsing are not Buffers (zeromq.js hands us Buffers).
    const bytes = new Uint8Array(given.buffer, given.byteOffset, given.byteLength);
    const maxDepth = options.maxDepth ?? MAX_DEPTH;
    const seen = new Set<string>();
    const ctx: Context = {
      maxDepth,
      anomaly(message) {
        if (seen.has(message)) return;
        seen.add(message);
        options.onAnomaly?.(message);
      },
    };
    // Each container level costs at most 3 JSON levels (table → entry → key object), plus the root's own.
    const root = new JsonReader(bytes, 3 * maxDepth + 3).document();
    return toValue(root, 0, ctx);
  } catch (error) {
    throw asDecodeError(error);
  }
}
