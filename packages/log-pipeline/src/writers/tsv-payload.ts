import { type LogRowsView, TypeTag } from "@zmqc/wire-format";
import { u32 } from "../u32.js";
import type { ByteSink } from "./byte-sink.js";
import { hexEscape } from "./escape.js";
import type { LogPayloadBatch } from "./format.js";
import { formatZeekDouble, formatZeekFixed6 } from "./numbers.js";

/**
 * Zeek's TSV lines written straight from a `zeek-bin-serializer` batch's bytes into a {@link ByteSink}: no cell
 * values, no strings per cell. The batch must have been checked (by `decodeZeekLogView`, whose view is passed
 * too): this walk trusts every length. It writes what {@link ZeekTsvFormat.formatCells} writes for the same
 * batch, byte for byte; whatever it does not write itself (escaping, non-ASCII text, IPv6, subnets, sets and
 * vectors, huge integers, ties in the six-decimal rounding) it asks `fallback` for, which is that formatter.
 */
export interface TsvPayloadStyle {
  /** The first byte of the separator: a string holding it is left to the fallback (it may need escaping). */
  readonly separatorByte: number;
  /** The separator written between columns. */
  readonly separator: Uint8Array;
  /** The set separator, and its first byte (a set element holding it is left to the fallback). */
  readonly setSeparator: Uint8Array;
  readonly setSeparatorByte: number;
  /** The unset marker as written at the top level (`-`). */
  readonly unset: Uint8Array;
  /** The empty marker as written at the top level (`(empty)`). */
  readonly empty: Uint8Array;
  /** The raw unset and empty fields: a string equal to one of them is escaped (left to the fallback). */
  readonly unsetField: Uint8Array;
  readonly emptyField: Uint8Array;
  /** The meta prefix (`#`): a line starting with it gets its first byte escaped. */
  readonly metaPrefix: Uint8Array;
  /** The cell as the formatter writes it. */
  readonly fallback: (view: LogRowsView, row: number, column: number) => string;
}

const MAX_EXACT_HIGH = 0x1f_ffff; // 2^53 = high word 0x200000
const NEWLINE = 0x0a;
const DOT = 0x2e;
const MINUS = 0x2d;

/** Where the records start: after four names, the columns and the record count (the batch is checked). */
function recordsOffset(bytes: Uint8Array): number {
  let at = 0;
  for (let i = 0; i < 4; i++) at += 4 + u32(bytes, at);
  const fieldCount = u32(bytes, at);
  at += 4;
  for (let i = 0; i < fieldCount; i++) {
    const secondary = bytes[at] === 1;
    at += 1;
    if (secondary) at += 4 + u32(bytes, at);
    at += 4 + u32(bytes, at); // name
    at += 9; // type, subtype, optional
  }
  return at + 4; // record count
}

/** The offset after the value whose header starts at `at`. */
function skipValue(bytes: Uint8Array, at: number): number {
  const tag = u32(bytes, at) | 0;
  const present = bytes[at + 8] === 1;
  at += 9;
  if (!present) return at;
  switch (tag) {
    case TypeTag.BOOL:
    case TypeTag.INT:
    case TypeTag.COUNT:
    case TypeTag.DOUBLE:
    case TypeTag.TIME:
    case TypeTag.INTERVAL:
      return at + 8;
    case TypeTag.PORT:
      return at + 12;
    case TypeTag.STRING:
    case TypeTag.FILE:
    case TypeTag.FUNC:
    case TypeTag.ENUM:
      return at + 4 + u32(bytes, at);
    case TypeTag.ADDR:
      return at + (bytes[at] === 4 ? 5 : 17);
    case TypeTag.SUBNET:
      return at + (bytes[at + 1] === 4 ? 6 : 18);
    default: {
      // TABLE, VECTOR (the check pass refused every other tag)
      const size = u32(bytes, at + 4);
      at += 8;
      for (let i = 0; i < size; i++) at = skipValue(bytes, at);
      return at;
    }
  }
}

/** How many decimal digits a whole number below 2^53 has. */
function digitCount(n: number): number {
  if (n < 1e5) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  if (n < 1e10) return n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  let digits = 11;
  for (let power = 1e11; power <= n; power *= 10) digits++;
  return digits;
}

/** "00" to "99": the two digits of each number below 100. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let n = 0; n < 100; n++) {
  DIGIT_PAIRS[n << 1] = 48 + ((n / 10) | 0);
  DIGIT_PAIRS[(n << 1) + 1] = 48 + (n % 10);
}

/** Writes a whole number in 0 … 2^53 at `out` (room reserved); returns the offset after it. */
function putWhole(buffer: Uint8Array, out: number, n: number): number {
  const end = out + digitCount(n);
  let at = end;
  if (n < 0x8000_0000) {
    // Two digits a step, from a table.
    while (n >= 100) {
      const q = (n / 100) | 0;
      const pair = (n - q * 100) << 1;
      buffer[--at] = DIGIT_PAIRS[pair + 1] as number;
      buffer[--at] = DIGIT_PAIRS[pair] as number;
      n = q;
    }
    if (n >= 10) {
      buffer[--at] = DIGIT_PAIRS[(n << 1) + 1] as number;
      buffer[--at] = DIGIT_PAIRS[n << 1] as number;
    } else buffer[--at] = 48 + n;
  } else {
    // Past 2^31: `%` and the division of a multiple of 10 are exact for every whole double.
    do {
      const r = n % 10;
      buffer[--at] = 48 + r;
      n = (n - r) / 10;
    } while (n > 0);
  }
  return end;
}

/** Each octet's decimal digits (three slots each) and their count: a dotted quad without arithmetic. */
const OCTET_DIGITS = new Uint8Array(256 * 3);
const OCTET_LENGTHS = new Uint8Array(256);
for (let octet = 0; octet < 256; octet++) {
  const text = String(octet);
  OCTET_LENGTHS[octet] = text.length;
  for (let i = 0; i < text.length; i++) OCTET_DIGITS[octet * 3 + i] = text.charCodeAt(i);
}

/** Writes the dotted quad of the 4 bytes at `at` at `out` (room reserved); returns the offset after it. */
function putIpv4(buffer: Uint8Array, out: number, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 4; i++) {
    if (i > 0) buffer[out++] = DOT;
    const octet = bytes[at + i] as number;
    const from = octet * 3;
    const length = OCTET_LENGTHS[octet] as number;
    buffer[out++] = OCTET_DIGITS[from] as number;
    if (length > 1) buffer[out++] = OCTET_DIGITS[from + 1] as number;
    if (length > 2) buffer[out++] = OCTET_DIGITS[from + 2] as number;
  }
  return out;
}

/**
 * `std::to_chars(d, fixed, 6)` of the finite time or interval at `offset` of `data` if it is below 1e15, written at `out` (room reserved): the
 * whole part, and the fraction scaled by 1e6, which is exact to 2^-33, rounded to nearest. Returns the offset
 * after it, or -1, having written nothing, where that cannot decide (within 1e-9 of a tie, which libstdc++
 * rounds to even) or the value is out of that range.
 */
function putFixed6(buffer: Uint8Array, out: number, data: DataView, offset: number): number {
  // Read here, not passed in: a double passed to a call that is not inlined is boxed (a heap number per cell).
  const value = data.getFloat64(offset);
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = negative ? -value : value;
  if (!(magnitude < 1e15)) return -1;
  let whole = Math.floor(magnitude);
  // Exact (Sterbenz), and so is the fraction of `scaled` below.
  const scaled = (magnitude - whole) * 1e6;
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  if (fraction > 0.5 - 1e-9 && fraction < 0.5 + 1e-9) return -1;
  let micros = fraction > 0.5 ? floor + 1 : floor;
  if (micros === 1_000_000) {
    whole += 1;
    micros = 0;
  }
  if (negative) buffer[out++] = MINUS;
  const at = putWhole(buffer, out, whole);
  buffer[at] = DOT;
  // Six digits: three pairs.
  const high = (micros / 10000) | 0;
  const rest = micros - high * 10000;
  const middle = (rest / 100) | 0;
  const low = (rest - middle * 100) << 1;
  buffer[at + 1] = DIGIT_PAIRS[high << 1] as number;
  buffer[at + 2] = DIGIT_PAIRS[(high << 1) + 1] as number;
  buffer[at + 3] = DIGIT_PAIRS[middle << 1] as number;
  buffer[at + 4] = DIGIT_PAIRS[(middle << 1) + 1] as number;
  buffer[at + 5] = DIGIT_PAIRS[low] as number;
  buffer[at + 6] = DIGIT_PAIRS[low + 1] as number;
  return at + 7;
}

/** Writes a short byte string at `out` (room reserved); returns the offset after it. */
function put(buffer: Uint8Array, out: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buffer[out++] = bytes[i] as number;
  return out;
}

/** Appends ASCII text, keeping `room` bytes free after it (a line's worth of fixed-size cells). */
function writeAscii(sink: ByteSink, text: string, room: number): void {
  sink.reserve(text.length + room);
  const buffer = sink.buffer;
  let at = sink.length;
  for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
  sink.length = at;
}

function equalBytes(bytes: Uint8Array, start: number, end: number, other: Uint8Array): boolean {
  if (end - start !== other.length) return false;
  for (let i = 0; i < other.length; i++) if (bytes[start + i] !== other[i]) return false;
  return true;
}

/**
 * True when text passes the escaper unchanged: printable ASCII but the backslash and the first bytes of the escape
 * sequences (the separator; in a set or vector also the set separator; -1 for none).
 */
function isPlain(bytes: Uint8Array, start: number, end: number, stop: number, setStop: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e || byte === 0x5c || byte === stop || byte === setStop) return false;
  }
  return true;
}

/** Appends every record of a checked batch as TSV lines. */
export function writeTsvPayload(batch: LogPayloadBatch, sink: ByteSink, style: TsvPayloadStyle): void {
  const { fields, rowCount, payload: bytes } = batch;
  const width = fields.length;
  const types = Int32Array.from(fields, (field) => field.type);
  const {
    separator,
    separatorByte,
    setSeparator,
    setSeparatorByte,
    unset,
    empty,
    unsetField,
    emptyField,
    metaPrefix,
    fallback,
  } = style;
  const subtypes = Int32Array.from(fields, (field) => field.subtype);
  const separatorOnly = separator.length === 1 ? (separator[0] as number) : -1;
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Room for a line's separators and every number or address this writes itself, kept free after every cell of
  // variable length (strings, fallback text), which reserve their own length on top.
  const lineRoom = width * (separator.length + Math.max(32, unset.length, empty.length)) + 8;
  let at = batch.recordsAt !== undefined && batch.recordsAt >= 0 ? batch.recordsAt : recordsOffset(bytes);
  // The sink's buffer and length in locals: written back before any call that takes the sink, read again after.
  let buffer = sink.buffer;
  let out = sink.length;
  for (let row = 0; row < rowCount; row++) {
    if (out + lineRoom > buffer.length) {
      sink.length = out;
      sink.reserve(lineRoom);
      buffer = sink.buffer;
    }
    const lineStart = out;
    for (let column = 0; column < width; column++) {
      if (column > 0) {
        if (separatorOnly >= 0) buffer[out++] = separatorOnly;
        else out = put(buffer, out, separator);
      }
      const start = at;
      const value = at + 9;
      if (bytes[at + 8] !== 1) {
        out = put(buffer, out, unset);
        at = value;
        continue;
      }
      switch (types[column]) {
        case TypeTag.BOOL:
          buffer[out++] = bytes[value + 7] === 1 ? 0x54 : 0x46; // T, F
          at = value + 8;
          continue;
        case TypeTag.COUNT:
        case TypeTag.INT: {
          const high = data.getUint32(value);
          if (high <= MAX_EXACT_HIGH) {
            out = putWhole(buffer, out, high * 0x1_0000_0000 + data.getUint32(value + 4));
            at = value + 8;
            continue;
          }
          break;
        }
        case TypeTag.PORT:
          out = putWhole(buffer, out, data.getUint32(value + 4));
          at = value + 12;
          continue;
        case TypeTag.TIME:
        case TypeTag.INTERVAL: {
          const end = putFixed6(buffer, out, data, value);
          if (end >= 0) out = end;
          else {
            sink.length = out;
            writeAscii(sink, formatZeekFixed6(data.getFloat64(value)), lineRoom);
            buffer = sink.buffer;
            out = sink.length;
          }
          at = value + 8;
          continue;
        }
        case TypeTag.DOUBLE:
          sink.length = out;
          writeAscii(sink, formatZeekDouble(data.getFloat64(value)), lineRoom);
          buffer = sink.buffer;
          out = sink.length;
          at = value + 8;
          continue;
        case TypeTag.ADDR:
          if (bytes[value] === 4) {
            out = putIpv4(buffer, out, bytes, value + 1);
            at = value + 5;
            continue;
          }
          break;
        case TypeTag.STRING:
        case TypeTag.ENUM:
        case TypeTag.FILE:
        case TypeTag.FUNC: {
          const first = value + 4;
          const last = first + data.getUint32(value);
          if (first === last) {
            out = put(buffer, out, empty);
            at = last;
            continue;
          }
          if (out + (last - first) + lineRoom > buffer.length) {
            sink.length = out;
            sink.reserve(last - first + lineRoom);
            buffer = sink.buffer;
          }
          // Copied while checked that the escaper would pass it unchanged (isPlain); kept only if so.
          let end = out;
          let plain = true;
          for (let i = first; i < last; i++) {
            const byte = bytes[i] as number;
            if (byte < 0x20 || byte > 0x7e || byte === 0x5c || byte === separatorByte) {
              plain = false;
              break;
            }
            buffer[end++] = byte;
          }
          if (
            plain &&
            !equalBytes(bytes, first, last, unsetField) &&
            !equalBytes(bytes, first, last, emptyField)
          ) {
            out = end;
            at = last;
            continue;
          }
          break;
        }
        case TypeTag.TABLE:
        case TypeTag.VECTOR: {
          const size = u32(bytes, value + 4);
          const first = value + 8;
          if (size === 0) {
            out = put(buffer, out, empty);
            at = first;
            continue;
          }
          // A set or vector of plain strings (the common one: uids, tags) is written here; anything else falls back.
          if (subtypes[column] !== TypeTag.STRING) break;
          let next = first;
          let plain = true;
          for (let e = 0; e < size && plain; e++) {
            if ((u32(bytes, next) | 0) !== TypeTag.STRING || bytes[next + 8] !== 1) plain = false;
            else {
              const start = next + 13;
              const end = start + u32(bytes, next + 9);
              plain =
                end > start &&
                isPlain(bytes, start, end, separatorByte, setSeparatorByte) &&
                !equalBytes(bytes, start, end, unsetField) &&
                !equalBytes(bytes, start, end, emptyField);
              next = end;
            }
          }
          if (!plain) break;
          sink.length = out;
          sink.reserve(next - first + size * setSeparator.length + lineRoom);
          let element = first;
          for (let e = 0; e < size; e++) {
            if (e > 0) sink.bytes(setSeparator, 0, setSeparator.length);
            const start = element + 13;
            const end = start + u32(bytes, element + 9);
            sink.bytes(bytes, start, end);
            element = end;
          }
          buffer = sink.buffer;
          out = sink.length;
          at = next;
          continue;
        }
      }
      sink.length = out;
      sink.text(fallback(batch.view, row, column));
      sink.reserve(lineRoom);
      buffer = sink.buffer;
      out = sink.length;
      at = skipValue(bytes, start);
    }
    // Ascii::DoWrite: a line that starts with the meta prefix gets its first byte escaped.
    if (
      out - lineStart >= metaPrefix.length &&
      equalBytes(buffer, lineStart, lineStart + metaPrefix.length, metaPrefix)
    ) {
      sink.length = out;
      const escaped = hexEscape(sink.buffer[lineStart] as number);
      sink.reserve(escaped.length);
      sink.buffer.copyWithin(lineStart + escaped.length, lineStart + 1, sink.length);
      sink.buffer.write(escaped, lineStart, "latin1");
      sink.length += escaped.length - 1;
      buffer = sink.buffer;
      out = sink.length;
    }
    if (out + 1 > buffer.length) {
      sink.length = out;
      sink.reserve(1);
      buffer = sink.buffer;
    }
    buffer[out++] = NEWLINE;
  }
  sink.length = out;
}
