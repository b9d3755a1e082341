import { encodeZeekLogValue, type LogField, type LogValue, TypeTag } from "@zmqc/wire-format";
import type { ByteSink } from "../writers/byte-sink.js";
import { isCanonicalIpv4 } from "./columns.js";

/**
 * Encodes records of one stream straight into `zeek-bin-serializer` record bytes, without log value objects: the
 * same bytes as `encodeZeekLogBatch` of `stream.toValues(record)`. It writes only what it is sure of — booleans,
 * safe-integer counts and ints, numbers and Dates for times, ASCII strings and enum names, ports as numbers or
 * `"443/tcp"`, canonical dotted quads, arrays of ASCII strings, unset optional columns — and hands any other
 * record to `toValues` and the wire-format encoder, value by value, so every error (a `LogRecordError` naming
 * the column) and every byte is theirs.
 */
export class ZeekRecordEncoder {
  private readonly tags: Int32Array;
  private readonly subtypes: Int32Array;

  constructor(
    fields: readonly LogField[],
    private readonly readers: readonly ((record: unknown) => unknown)[],
    private readonly optional: readonly boolean[],
    private readonly toValues: (record: unknown) => LogValue[],
  ) {
    this.tags = Int32Array.from(fields, (field) => field.type);
    this.subtypes = Int32Array.from(fields, (field) => field.subtype);
  }

  /** Appends one record; throws what `toValues` throws for a record that does not fit (nothing appended then). */
  append(record: unknown, sink: ByteSink): void {
    const start = sink.length;
    const { tags, readers } = this;
    for (let i = 0; i < tags.length; i++) {
      const value = (readers[i] as (record: unknown) => unknown)(record);
      if (!this.column(i, value, sink)) {
        sink.length = start;
        this.appendChecked(record, sink);
        return;
      }
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

  /** One column's value, or false (nothing the caller keeps) when it is not one this writes itself. */
  private column(i: number, value: unknown, sink: ByteSink): boolean {
    const tag = this.tags[i] as number;
    if (value === undefined || value === null) {
      if (!this.optional[i]) return false;
      sink.reserve(9);
      header(sink, tag, 0);
      return true;
    }
    if (tag === TypeTag.TABLE || tag === TypeTag.VECTOR) {
      if (this.subtypes[i] !== TypeTag.STRING || !Array.isArray(value)) return false;
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
        if (typeof value !== "string" || !isCanonicalIpv4(value)) return false;
        header(sink, tag, 1);
        const buffer = sink.buffer;
        let at = sink.length;
        buffer[at++] = 4;
        let octet = 0;
        for (let c = 0; c < value.length; c++) {
          const code = value.charCodeAt(c);
          if (code === 0x2e) {
            buffer[at++] = octet;
            octet = 0;
          } else octet = octet * 10 + code - 0x30;
        }
        buffer[at++] = octet;
        sink.length = at;
        return true;
      }
      default:
        return false;
    }
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

const PROTOCOLS: readonly (readonly [string, number])[] = [
  ["tcp", 1],
  ["udp", 2],
  ["icmp", 3],
  ["unknown", 0],
];

/** The wire code of the protocol name that is all of `text` from `at` on, or -1. */
function protocolCode(text: string, at: number): number {
  const length = text.length - at;
  for (const [name, code] of PROTOCOLS) {
    if (name.length !== length) continue;
    let same = true;
    for (let i = 0; i < length && same; i++) same = text.charCodeAt(at + i) === name.charCodeAt(i);
    if (same) return code;
  }
  return -1;
}
