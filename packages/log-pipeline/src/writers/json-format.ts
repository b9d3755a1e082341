import { ZmqcError } from "@zmqc/config";
import { type LogCell, type LogField, type LogValue, TypeTag } from "@zmqc/wire-format";
import { renderAddress, renderSubnet } from "./address.js";
import { escapeUtf8, passesUtf8Unchanged } from "./escape.js";
import type { LogFormat } from "./format.js";
import { rapidJsonDouble } from "./grisu2.js";
import { jsonIso8601, jsonMillis, jsonMillisUnsigned } from "./json-time.js";

/** `LogAscii::json_timestamps`: how a time column is written, by Zeek's enum names. */
export type JsonTimestampFormat =
  /** Seconds since the epoch as a JSON number (Zeek's default). */
  | "JSON::TS_EPOCH"
  /** Whole milliseconds since the epoch, truncated, as a signed integer. */
  | "JSON::TS_MILLIS"
  /** The same, cast to an unsigned 64-bit integer (negative times wrap). */
  | "JSON::TS_MILLIS_UNSIGNED"
  /** `"2023-11-14T22:13:20.000000Z"` (UTC, microseconds). */
  | "JSON::TS_ISO8601";

const TIMESTAMP_FORMATS: readonly JsonTimestampFormat[] = [
  "JSON::TS_EPOCH",
  "JSON::TS_MILLIS",
  "JSON::TS_MILLIS_UNSIGNED",
  "JSON::TS_ISO8601",
];

/** Options of {@link ZeekJsonFormat}, with Zeek's defaults. */
export interface JsonFormatOptions {
  /** `LogAscii::json_timestamps`, default `"JSON::TS_EPOCH"`. */
  readonly timestamps?: JsonTimestampFormat;
  /** `LogAscii::json_include_unset_fields`, default false: unset columns are left out, not `null`. */
  readonly includeUnsetFields?: boolean;
}

// RapidJSON's escape table: \b \t \n \f \r by name, other C0 controls as \u00XX (uppercase), `"` and `\`.
const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  8: "\\b",
  9: "\\t",
  10: "\\n",
  12: "\\f",
  13: "\\r",
};

function needsJsonEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || unit === 0x22 || unit === 0x5c) return true;
  }
  return false;
}

/** A JSON string as RapidJSON's `Writer::String` writes it (UTF-8 through, nothing escaped beyond the above). */
export function rapidJsonString(text: string): string {
  if (!needsJsonEscape(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22) out += '\\"';
    else if (unit === 0x5c) out += "\\\\";
    else if (unit < 0x20)
      out += NAMED_ESCAPES[unit] ?? `\\u00${unit.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += text[i];
  }
  return `${out}"`;
}

/** `util::escape_utf8(value, ESCAPE_UNPRINTABLE_CONTROLS)`, which Zeek applies to strings before RapidJSON. */
function escapeJsonText(value: string | Uint8Array): string {
  if (typeof value === "string") {
    if (passesUtf8Unchanged(value, "unprintable-controls")) return value;
    const bytes = Buffer.from(value, "utf8");
    return escapeUtf8(bytes, 0, bytes.length, "unprintable-controls");
  }
  return escapeUtf8(value, 0, value.length, "unprintable-controls");
}

/** NullDoubleWriter::Double: `null` for NaN and ±inf, else RapidJSON's Grisu2. */
function jsonDouble(value: number): string {
  return Number.isFinite(value) ? rapidJsonDouble(value) : "null";
}

/**
 * Zeek's JSON log lines (`LogAscii::use_json=T`), exact to the byte (zeek/zeek v8.2.2,
 * src/threading/formatters/JSON.cc with RapidJSON's Writer):
 *
 * - one object per line, keys in column order, unset columns left out (or `null` with `includeUnsetFields`);
 * - bool `true`/`false`; int, count and port (the number only) as JSON integers, exact beyond 2^53;
 * - double, interval and time (`JSON::TS_EPOCH`) via RapidJSON's Grisu2 (`1.0`, `1e-7`, `-0.0`), NaN and ±inf
 *   as `null`; other time formats in {@link JsonTimestampFormat};
 * - addr and subnet as strings rendered as Zeek does (`::ffff:1.2.3.4` for an IPv6-mapped IPv6 value);
 * - string, enum, file, func: valid UTF-8 as it is; with a bad byte, control or refused code point, every byte
 *   but printable ASCII and `\b\t\n\f\r` becomes the text `\xNN` (JSON `\\xNN`);
 * - set and vector as arrays (elements in the order they came), unset elements as `null`.
 */
export class ZeekJsonFormat implements LogFormat {
  readonly kind = "json";
  private readonly timestamps: JsonTimestampFormat;
  private readonly includeUnset: boolean;
  private readonly keys = new Map<string, string>();

  constructor(options: JsonFormatOptions = {}) {
    const timestamps = options.timestamps ?? "JSON::TS_EPOCH";
    if (!TIMESTAMP_FORMATS.includes(timestamps))
      throw new ZmqcError("CONFIG", `Invalid JSON timestamp format: ${String(timestamps)}`);
    const includeUnset = options.includeUnsetFields ?? false;
    if (typeof includeUnset !== "boolean")
      throw new ZmqcError("CONFIG", "JSON option includeUnsetFields must be a boolean");
    this.timestamps = timestamps;
    this.includeUnset = includeUnset;
  }

  header(): string {
    return ""; // JSON turns LogAscii::include_meta off
  }

  footer(): string {
    return "";
  }

  formatRecord(fields: readonly LogField[], record: readonly LogValue[]): string {
    let out = "{";
    for (let i = 0; i < record.length; i++) {
      const value = record[i] as LogValue;
      if (!value.present && !this.includeUnset) continue;
      if (out.length > 1) out += ",";
      out += `${this.key(fields, i)}:${this.value(value)}`;
    }
    return `${out}}\n`;
  }

  formatCells(fields: readonly LogField[], cells: readonly LogCell[]): string {
    let out = "{";
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as LogCell;
      if (cell === null && !this.includeUnset) continue;
      const field = fields[i];
      if (field === undefined)
        throw new ZmqcError("ENCODE", `row has ${cells.length} cells for ${fields.length} fields`);
      if (out.length > 1) out += ",";
      out += `${this.key(fields, i)}:${this.cell(cell, field.type, field.subtype)}`;
    }
    return `${out}}\n`;
  }

  private key(fields: readonly LogField[], index: number): string {
    const name = fields[index]?.name ?? "";
    let key = this.keys.get(name);
    if (key === undefined) {
      key = rapidJsonString(name);
      this.keys.set(name, key);
    }
    return key;
  }

  private time(seconds: number): string {
    switch (this.timestamps) {
      case "JSON::TS_EPOCH":
        return jsonDouble(seconds);
      case "JSON::TS_MILLIS":
        return jsonMillis(seconds);
      case "JSON::TS_MILLIS_UNSIGNED":
        return jsonMillisUnsigned(seconds);
      case "JSON::TS_ISO8601":
        return rapidJsonString(jsonIso8601(seconds));
    }
  }

  private value(value: LogValue): string {
    if (!value.present) return "null";
    switch (value.type) {
      case "bool":
        return value.value ? "true" : "false";
      case "int":
      case "count":
        return value.value.toString();
      case "port":
        return String(value.number);
      case "double":
      case "interval":
        return jsonDouble(value.value);
      case "time":
        return this.time(value.value);
      case "addr":
        return `"${renderAddress(value.value)}"`;
      case "subnet":
        return `"${renderSubnet(value.address, value.length)}"`;
      case "enum":
        return rapidJsonString(escapeJsonText(value.name));
      case "string":
      case "file":
      case "func":
        return rapidJsonString(escapeJsonText(value.value));
      case "set":
      case "vector":
        return `[${value.elements.map((element) => this.value(element)).join(",")}]`;
    }
  }

  private cell(cell: LogCell, tag: number, subtype: number): string {
    if (cell === null) return "null";
    switch (tag) {
      case TypeTag.BOOL:
        if (typeof cell === "boolean") return cell ? "true" : "false";
        break;
      case TypeTag.INT:
      case TypeTag.COUNT:
      case TypeTag.PORT:
        if (typeof cell === "number" || typeof cell === "bigint") return String(cell);
        break;
      case TypeTag.DOUBLE:
      case TypeTag.INTERVAL:
        if (typeof cell === "number") return jsonDouble(cell);
        break;
      case TypeTag.TIME:
        if (typeof cell === "number") return this.time(cell);
        break;
      case TypeTag.ADDR:
        if (typeof cell === "string") return `"${renderAddress(cell)}"`;
        break;
      case TypeTag.SUBNET:
        if (typeof cell === "string") {
          const slash = cell.lastIndexOf("/");
          return `"${renderSubnet(cell.slice(0, slash), Number(cell.slice(slash + 1)))}"`;
        }
        break;
      case TypeTag.ENUM:
      case TypeTag.STRING:
      case TypeTag.FILE:
      case TypeTag.FUNC:
        if (typeof cell === "string" || cell instanceof Uint8Array)
          return rapidJsonString(escapeJsonText(cell));
        break;
      case TypeTag.TABLE:
      case TypeTag.VECTOR:
        if (Array.isArray(cell))
          return `[${cell.map((element) => this.cell(element, subtype, TypeTag.VOID)).join(",")}]`;
        break;
    }
    return this.guess(cell);
  }

  /** A set or vector element whose JS type does not fit the column's element type (see ZeekTsvFormat). */
  private guess(cell: LogCell): string {
    if (cell === null) return "null";
    if (typeof cell === "boolean") return cell ? "true" : "false";
    if (typeof cell === "bigint") return String(cell);
    if (typeof cell === "number") return Number.isInteger(cell) ? String(cell) : jsonDouble(cell);
    if (typeof cell === "string" || cell instanceof Uint8Array) return rapidJsonString(escapeJsonText(cell));
    return `[${cell.map((element) => this.guess(element)).join(",")}]`;
  }
}
