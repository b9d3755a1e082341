import { encodeZeekLogValue, type LogField, type LogValue, TypeTag } from "@zmqc/wire-format";
import type { ByteSink } from "../writers/byte-sink.js";
import { type FlatColumn, parseCanonicalIpv4, valueReader } from "./columns.js";

/** Writes one record's values into a sink; false (the sink's length then undefined) for a record it leaves alone. */
export type RecordWriter = (record: unknown, sink: ByteSink) => boolean;

/**
 * Encodes records of one stream straight into `zeek-bin-serializer` record bytes, without log value objects: the
 * same bytes as `encodeZeekLogBatch` of `stream.toValues(record)`. It writes only what it is sure of — booleans,
 * safe-integer counts and ints, numbers and Dates for times, ASCII strings and enum names, ports as numbers or
 * `"443/tcp"`, canonical dotted quads, arrays of ASCII strings, unset optional columns — and hands any other
 * record to `toValues` and the wire-format encoder, value by value, so every error (a `LogRecordError` naming
 * the column) and every byte is theirs.
 *
 * The writer is compiled once per stream ({@link compileRecordWriter}: straight-line code for its columns, no
 * per-value switch); where code cannot be generated, {@link interpretedRecordWriter} writes the same bytes.
 */
export class ZeekRecordEncoder {
  private readonly write: RecordWriter;

  constructor(
    columns: readonly FlatColumn[],
    private readonly toValues: (record: unknown) => LogValue[],
  ) {
    const { compiled, interpreted } = recordWriters(columns);
    this.write = compiled ?? interpreted;
  }

  /** Appends one record; throws what `toValues` throws for a record that does not fit (nothing appended then). */
  append(record: unknown, sink: ByteSink): void {
    const start = sink.length;
    if (!this.write(record, sink)) {
      sink.length = start;
      this.appendChecked(record, sink);
    }
  }

  /** The reference path: toValues (its errors), then each value as the wire-format encoder writes it. */
  private appendChecked(record: unknown, sink: ByteSink): void {
    const values = this.toValues(record);
    const encoded = values.map((value) => encodeZeekLogValue(value));
    for (const bytes of encoded) {
      sink.reserve(bytes.length);
      sink.buffer.set(bytes, sink.length);
      sink.length += bytes.length;
    }
  }
}

/**
 * A stream's two record writers, from its flattened columns: the compiled one (undefined where the runtime refuses
 * to generate code) and the interpreted one, which writes the same bytes.
 */
export function recordWriters(columns: readonly FlatColumn[]): {
  readonly compiled: RecordWriter | undefined;
  readonly interpreted: RecordWriter;
} {
  const fields = columns.map((column) => column.field);
  const optional = columns.map((column) => column.optional);
  const compiled = compileRecordWriter(
    fields,
    columns.map((column) => column.path),
    optional,
  );
  const readers = columns.map((column) => valueReader(column.path));
  return { compiled, interpreted: interpretedRecordWriter(fields, readers, optional) };
}

/** The most bytes a column of a fixed-size kind takes (a header and a port's three words). */
const FIXED_COLUMN_BYTES = 9 + 12;

/**
 * A record writer compiled for one stream's columns: for each column, the read of its value and the writing of
 * its kind, in line. Undefined where the runtime refuses to generate code (`--disallow-code-generation-from-strings`).
 * Writes exactly what {@link interpretedRecordWriter} writes, and refuses what it refuses.
 */
export function compileRecordWriter(
  fields: readonly LogField[],
  paths: readonly (readonly string[])[],
  optional: readonly boolean[],
): RecordWriter | undefined {
  const lines: string[] = [];
  const emit = (line: string) => lines.push(line);
  // Words through a DataView of the sink's buffer (one store for four bytes); single bytes through the buffer.
  const header = (tag: number, present: number) =>
    `view.setUint32(at, ${tag >>> 0}); view.setUint32(at + 4, 0); buffer[at + 8] = ${present};`;
  const refresh =
    "buffer = sink.buffer; if (buffer !== viewOf) { viewOf = buffer; view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength); }";
  // Room for every column of a fixed size; a string or an array reserves its own length on top of this.
  const room = fields.length * FIXED_COLUMN_BYTES;
  emit(`sink.reserve(${room});`);
  emit("let buffer;");
  emit(refresh);
  emit("let at = sink.length;");
  emit("let v, n, c, hi;");
  fields.forEach((field, i) => {
    const tag = field.type;
    const path = paths[i] ?? [];
    emit(`// column ${i}`);
    // The value, read as valueReader reads it: undefined past a null or undefined.
    emit(`v = record;`);
    for (const key of path)
      emit(`v = v === null || v === undefined ? undefined : v[${JSON.stringify(key)}];`);
    emit("if (v === undefined || v === null) {");
    if (optional[i]) emit(`  ${header(tag, 0)} at += 9;`);
    else emit("  return false;");
    emit("} else {");
    const present = header(tag, 1);
    switch (tag) {
      case TypeTag.BOOL:
        emit(`  if (typeof v !== "boolean") return false;`);
        emit(`  ${present}`);
        emit("  view.setUint32(at + 9, 0); view.setUint32(at + 13, v ? 1 : 0);");
        emit("  at += 17;");
        break;
      case TypeTag.COUNT:
      case TypeTag.INT:
        emit(
          `  if (typeof v !== "number" || !Number.isSafeInteger(v)${tag === TypeTag.COUNT ? " || v < 0" : ""}) return false;`,
        );
        emit(`  ${present}`);
        // Two's complement for a negative int, as the encoder's int64 write.
        emit("  hi = Math.floor(v / 4294967296) >>> 0; n = v >>> 0;");
        emit("  view.setUint32(at + 9, hi); view.setUint32(at + 13, n);");
        emit("  at += 17;");
        break;
      case TypeTag.DOUBLE:
      case TypeTag.INTERVAL:
      case TypeTag.TIME:
        emit(`  if (typeof v === "number") n = v;`);
        if (tag === TypeTag.TIME) emit("  else if (v instanceof Date) n = v.getTime() / 1000;");
        emit("  else return false;");
        emit(`  ${present}`);
        // A NaN through the scratch array, as the interpreted writer (its payload bits go out as they are).
        emit("  if (n === n) view.setFloat64(at + 9, n);");
        emit("  else {");
        emit("    DOUBLE[0] = n;");
        for (let b = 0; b < 8; b++)
          emit(`    buffer[at + ${9 + b}] = DOUBLE_BYTES[${LITTLE_ENDIAN ? 7 - b : b}];`);
        emit("  }");
        emit("  at += 17;");
        break;
      case TypeTag.STRING:
      case TypeTag.ENUM:
        emit(`  if (typeof v !== "string") return false;`);
        emit("  n = v.length;");
        emit(
          `  if (at + n + ${room} > buffer.length) { sink.length = at; sink.reserve(n + ${room}); ${refresh} }`,
        );
        emit(`  ${present}`);
        emit("  view.setUint32(at + 9, n);");
        emit("  at += 13;");
        emit(
          "  for (let k = 0; k < n; k++) { c = v.charCodeAt(k); if (c > 127) return false; buffer[at + k] = c; }",
        );
        emit("  at += n;");
        break;
      case TypeTag.PORT:
        emit(`  if (typeof v === "number") {`);
        emit("    if (!Number.isInteger(v) || v < 0 || v > 65535) return false;");
        emit("    n = v; c = 0;");
        emit(`  } else if (typeof v === "string") {`);
        emit("    hi = parsePort(v); if (hi < 0) return false;");
        emit("    n = hi & 65535; c = hi >>> 16;");
        emit("  } else return false;");
        emit(`  ${present}`);
        emit("  view.setUint32(at + 9, 0); view.setUint32(at + 13, n); view.setUint32(at + 17, c);");
        emit("  at += 21;");
        break;
      case TypeTag.ADDR:
        emit(`  if (typeof v !== "string") return false;`);
        emit("  hi = parseIpv4(v); if (hi < 0) return false;");
        emit(`  ${present}`);
        emit("  buffer[at + 9] = 4; view.setUint32(at + 10, hi);");
        emit("  at += 14;");
        break;
      case TypeTag.TABLE:
      case TypeTag.VECTOR:
        if (field.subtype !== TypeTag.STRING) {
          emit("  return false;");
          break;
        }
        emit("  if (!Array.isArray(v)) return false;");
        emit(`  ${present}`);
        emit("  n = v.length;");
        emit("  view.setUint32(at + 9, 0); view.setUint32(at + 13, n);");
        emit("  at += 17;");
        emit("  for (let e = 0; e < n; e++) {");
        emit("    const s = v[e];");
        emit(`    if (typeof s !== "string") return false;`);
        emit("    const m = s.length;");
        emit(
          `    if (at + m + ${room + 13} > buffer.length) { sink.length = at; sink.reserve(m + ${room + 13}); ${refresh} }`,
        );
        emit(`    ${header(TypeTag.STRING, 1)}`);
        emit("    view.setUint32(at + 9, m);");
        emit("    at += 13;");
        emit(
          "    for (let k = 0; k < m; k++) { c = s.charCodeAt(k); if (c > 127) return false; buffer[at + k] = c; }",
        );
        emit("    at += m;");
        emit("  }");
        break;
      default:
        emit("  return false;");
    }
    emit("}");
  });
  emit("sink.length = at;");
  emit("return true;");
  const body = `"use strict";\nlet view, viewOf;\nreturn function writeRecord(record, sink) {\n${lines.join("\n")}\n};`;
  try {
    return new Function("DOUBLE", "DOUBLE_BYTES", "parsePort", "parseIpv4", body)(
      DOUBLE,
      DOUBLE_BYTES,
      parsePort,
      parseCanonicalIpv4,
    ) as RecordWriter;
  } catch {
    return undefined;
  }
}

/** The same writer without generated code: one switch per value (the reference for the compiled one). */
export function interpretedRecordWriter(
  fields: readonly LogField[],
  readers: readonly ((record: unknown) => unknown)[],
  optional: readonly boolean[],
): RecordWriter {
  const tags = Int32Array.from(fields, (field) => field.type);
  const subtypes = Int32Array.from(fields, (field) => field.subtype);
  return (record, sink) => {
    for (let i = 0; i < tags.length; i++) {
      const value = (readers[i] as (record: unknown) => unknown)(record);
      if (!column(tags[i] as number, subtypes[i] as number, optional[i] === true, value, sink)) return false;
    }
    return true;
  };
}

/** One column's value, or false (nothing the caller keeps) when it is not one this writes itself. */
function column(tag: number, subtype: number, optional: boolean, value: unknown, sink: ByteSink): boolean {
  if (value === undefined || value === null) {
    if (!optional) return false;
    sink.reserve(9);
    header(sink, tag, 0);
    return true;
  }
  if (tag === TypeTag.TABLE || tag === TypeTag.VECTOR) {
    if (subtype !== TypeTag.STRING || !Array.isArray(value)) return false;
    sink.reserve(17);
    header(sink, tag, 1);
    word(sink, 0);
    word(sink, value.length);
    for (const element of value) {
      if (typeof element !== "string") return false;
      sink.reserve(9);
      header(sink, TypeTag.STRING, 1);
      if (!ascii(sink, element)) return false;
    }
    return true;
  }
  sink.reserve(9 + 17);
  switch (tag) {
    case TypeTag.BOOL:
      if (typeof value !== "boolean") return false;
      header(sink, tag, 1);
      word(sink, 0);
      word(sink, value ? 1 : 0);
      return true;
    case TypeTag.COUNT:
    case TypeTag.INT: {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return false;
      if (tag === TypeTag.COUNT && value < 0) return false;
      header(sink, tag, 1);
      // Two's complement for a negative int, as the encoder's int64 write.
      word(sink, Math.floor(value / 0x1_0000_0000) >>> 0);
      word(sink, value >>> 0);
      return true;
    }
    case TypeTag.DOUBLE:
    case TypeTag.INTERVAL:
    case TypeTag.TIME: {
      let seconds: number;
      if (typeof value === "number") seconds = value;
      else if (tag === TypeTag.TIME && value instanceof Date) seconds = value.getTime() / 1000;
      else return false;
      header(sink, tag, 1);
      double(sink, seconds);
      return true;
    }
    case TypeTag.STRING:
    case TypeTag.ENUM:
      if (typeof value !== "string") return false;
      header(sink, tag, 1);
      return ascii(sink, value);
    case TypeTag.PORT: {
      let number: number;
      let protocol = 0;
      if (typeof value === "number") {
        if (!Number.isInteger(value) || value < 0 || value > 65535) return false;
        number = value;
      } else if (typeof value === "string") {
        const port = parsePort(value);
        if (port < 0) return false;
        number = port & 0xffff;
        protocol = port >>> 16;
      } else return false;
      header(sink, tag, 1);
      word(sink, 0);
      word(sink, number);
      word(sink, protocol);
      return true;
    }
    case TypeTag.ADDR: {
      const address = typeof value === "string" ? parseCanonicalIpv4(value) : -1;
      if (address < 0) return false;
      header(sink, tag, 1);
      sink.buffer[sink.length++] = 4;
      word(sink, address);
      return true;
    }
    default:
      return false;
  }
}

/** A value's header: type tag, subtype VOID (as every log value a stream makes), present byte (room reserved). */
function header(sink: ByteSink, tag: number, present: number): void {
  const buffer = sink.buffer;
  const at = sink.length;
  buffer[at] = tag >>> 24;
  buffer[at + 1] = (tag >>> 16) & 0xff;
  buffer[at + 2] = (tag >>> 8) & 0xff;
  buffer[at + 3] = tag & 0xff;
  buffer[at + 4] = 0;
  buffer[at + 5] = 0;
  buffer[at + 6] = 0;
  buffer[at + 7] = 0;
  buffer[at + 8] = present;
  sink.length = at + 9;
}

// A double's bytes, as Buffer#writeDoubleBE takes them (the encoder's write: NaN payloads go out as they are).
const DOUBLE = new Float64Array(1);
const DOUBLE_BYTES = new Uint8Array(DOUBLE.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A big-endian double (room reserved). */
function double(sink: ByteSink, value: number): void {
  DOUBLE[0] = value;
  const buffer = sink.buffer;
  const at = sink.length;
  if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) buffer[at + i] = DOUBLE_BYTES[7 - i] as number;
  else for (let i = 0; i < 8; i++) buffer[at + i] = DOUBLE_BYTES[i] as number;
  sink.length = at + 8;
}

/** A big-endian 32-bit word (room reserved). */
function word(sink: ByteSink, value: number): void {
  const buffer = sink.buffer;
  const at = sink.length;
  buffer[at] = value >>> 24;
  buffer[at + 1] = (value >>> 16) & 0xff;
  buffer[at + 2] = (value >>> 8) & 0xff;
  buffer[at + 3] = value & 0xff;
  sink.length = at + 4;
}

/** An ASCII string with its int32 length; false for any other text (the caller then falls back). */
function ascii(sink: ByteSink, text: string): boolean {
  const length = text.length;
  sink.reserve(4 + length);
  word(sink, length);
  const buffer = sink.buffer;
  const at = sink.length;
  for (let c = 0; c < length; c++) {
    const code = text.charCodeAt(c);
    if (code > 0x7f) return false;
    buffer[at + c] = code;
  }
  sink.length = at + length;
  return true;
}

/** `"443/tcp"` as LogValues.port reads it: the number in the low 16 bits, the protocol's wire code above; -1 if not. */
function parsePort(text: string): number {
  const slash = text.indexOf("/");
  if (slash < 1 || slash > 5) return -1;
  let number = 0;
  for (let i = 0; i < slash; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  if (number > 65535) return -1;
  // The protocol compared in place: no substring per port.
  const code = protocolCode(text, slash + 1);
  return code < 0 ? -1 : (code << 16) | number;
}

/** The wire code of the protocol name that is all of `text` from `at` on (tcp 1, udp 2, icmp 3, unknown 0), or -1. */
function protocolCode(text: string, at: number): number {
  // Compared in place, character by character: no substring per port.
  switch (text.length - at) {
    case 3:
      if (text.charCodeAt(at + 2) !== 0x70) return -1; // p
      if (text.charCodeAt(at) === 0x74 && text.charCodeAt(at + 1) === 0x63) return 1; // tcp
      if (text.charCodeAt(at) === 0x75 && text.charCodeAt(at + 1) === 0x64) return 2; // udp
      return -1;
    case 4:
      return text.startsWith("icmp", at) ? 3 : -1;
    case 7:
      return text.startsWith("unknown", at) ? 0 : -1;
    default:
      return -1;
  }
}
