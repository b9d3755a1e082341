import { ByteReader } from "../bytes/reader.js";
import { formatFamilyAddress } from "./address.js";
import { readBatchHeader } from "./decode.js";
import { LOG_PORT_PROTOCOLS, type LogField, TypeTag, ZEEK_BIN_SERIALIZER } from "./model.js";

/**
 * One log value as a plain JavaScript value, the way Zeek's log writers print it: `null` when unset; bool as
 * boolean; int and count as number when exact (|v| ≤ 2^53), else bigint; double, time and interval as number
 * (seconds); string, file and func as text (bytes when not UTF-8); enum as its name; port as its number; addr as
 * text; subnet as `address/length`; set and vector as arrays.
 */
export type LogCell = null | boolean | number | bigint | string | Uint8Array | readonly LogCell[];

/** A log batch with plain rows: what a logger needs to write a file, decoded without the typed value model. */
export interface LogRows {
  readonly stream: string;
  readonly writer: string;
  readonly filter: string;
  readonly path: string;
  readonly fields: readonly LogField[];
  readonly rows: readonly (readonly LogCell[])[];
  /** Bytes after the last record (Zeek ignores them). */
  readonly trailingBytes: number;
}

const MAX_DEPTH = 16;
const MAX_EXACT_HIGH = 0x1f_ffff; // 2^53 = high word 0x200000

/**
 * Decodes a `zeek-bin-serializer` batch straight into plain rows. It checks what {@link decodeZeekLogBatch}
 * checks (every length and count against the bytes left, value types against their columns, families, ports,
 * subnet lengths, depth) and throws only DecodeError, but allocates no value objects — about twice as fast, for
 * loggers that write what they receive. Use decodeZeekLogBatch to re-encode or to keep subtypes and protocols.
 */
export function decodeZeekLogRows(bytes: Uint8Array): LogRows {
  const reader = new ByteReader(bytes, ZEEK_BIN_SERIALIZER);
  const { stream, writer, filter, path, fields, recordCount } = readBatchHeader(reader);
  const width = fields.length;
  const types = fields.map((field) => field.type);
  const rows: LogCell[][] = new Array(recordCount);
  for (let r = 0; r < recordCount; r++) {
    const row: LogCell[] = new Array(width);
    for (let f = 0; f < width; f++) row[f] = readCell(reader, types[f] as number, 0, r, f);
    rows[r] = row;
  }
  return { stream, writer, filter, path, fields, rows, trailingBytes: reader.remaining };
}

function word(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) * 0x100_0000 +
      (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number))) >>>
    0
  );
}

/** Reads one value; `expected` is the column's type tag (-1 inside sets and vectors, whose elements are unchecked). */
function readCell(reader: ByteReader, expected: number, depth: number, row: number, column: number): LogCell {
  const bytes = reader.bytes;
  const start = reader.offset;
  if (start + 9 > bytes.length) reader.fail("truncated", "a value header needs 9 bytes", start);
  const tag = word(bytes, start) | 0;
  const present = bytes[start + 8];
  if (present !== 0 && present !== 1)
    reader.fail("bad_value", `present byte ${present} is neither 0 nor 1`, start + 8);
  if (expected >= 0 && tag !== expected) {
    reader.fail(
      "bad_value",
      `record ${row} field ${column} has type tag ${tag}, the column ${expected}`,
      start,
    );
  }
  reader.offset = start + 9;
  if (present === 0) return null;
  switch (tag) {
    case TypeTag.BOOL: {
      const value = readSmall(reader, "bool");
      if (value !== 0 && value !== 1) reader.fail("bad_value", "a bool is neither 0 nor 1", start + 9);
      return value === 1;
    }
    case TypeTag.INT: {
      reader.need(8, "int");
      const high = word(bytes, reader.offset);
      const low = word(bytes, reader.offset + 4);
      reader.offset += 8;
      if (high <= MAX_EXACT_HIGH) return high * 0x1_0000_0000 + low;
      if (high >= 0xffe0_0000) return (high - 0x1_0000_0000) * 0x1_0000_0000 + low; // negative, still exact
      return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
    }
    case TypeTag.COUNT: {
      reader.need(8, "count");
      const high = word(bytes, reader.offset);
      const low = word(bytes, reader.offset + 4);
      reader.offset += 8;
      return high <= MAX_EXACT_HIGH ? high * 0x1_0000_0000 + low : (BigInt(high) << 32n) | BigInt(low);
    }
    case TypeTag.DOUBLE:
    case TypeTag.TIME:
    case TypeTag.INTERVAL:
      return reader.f64("double");
    case TypeTag.STRING:
    case TypeTag.FILE:
    case TypeTag.FUNC:
      return readString(reader);
    case TypeTag.ENUM: {
      const name = readString(reader);
      if (typeof name !== "string") reader.fail("bad_value", "enum name is not UTF-8", start);
      return name;
    }
    case TypeTag.PORT: {
      const number = readSmall(reader, "port");
      if (number === undefined || number > 65535) reader.fail("bad_value", "port is over 65535", start + 9);
      const protocol = reader.i32("port protocol");
      if (LOG_PORT_PROTOCOLS[protocol] === undefined)
        reader.fail("bad_value", "port protocol is not 0-3", reader.offset - 4);
      return number;
    }
    case TypeTag.ADDR:
      return readAddress(reader);
    case TypeTag.SUBNET: {
      const raw = reader.u8("subnet length");
      const address = readAddress(reader);
      const v4 = !address.includes(":");
      const length = v4 ? raw - 96 : raw;
      if (length < 0 || length > (v4 ? 32 : 128))
        reader.fail("bad_value", `subnet length ${raw} is out of range`, start + 9);
      return `${address}/${length}`;
    }
    case TypeTag.TABLE:
    case TypeTag.VECTOR: {
      if (depth >= MAX_DEPTH)
        reader.fail("too_deep", `sets and vectors nest deeper than ${MAX_DEPTH}`, start);
      const at = reader.offset;
      const size = readSmall(reader, "container size");
      if (size === undefined || size * 9 > reader.remaining)
        reader.fail("bad_length", "container size runs past the end", at);
      const cells: LogCell[] = new Array(size);
      for (let i = 0; i < size; i++) cells[i] = readCell(reader, -1, depth + 1, row, column);
      return cells;
    }
    default:
      return reader.fail("bad_tag", `type tag ${tag} cannot carry a log value`, start);
  }
}

/** A non-negative 64-bit value that fits 2^53, or undefined. */
function readSmall(reader: ByteReader, what: string): number | undefined {
  return reader.u64Small(what);
}

function readString(reader: ByteReader): string | Uint8Array {
  const start = reader.offset;
  const length = reader.i32("string length");
  if (length < 0) reader.fail("bad_length", `string length ${length} is negative`, start);
  return reader.text(reader.declared(length, "string length", start), "string");
}

function readAddress(reader: ByteReader): string {
  const family = reader.u8("address family");
  if (family !== 4 && family !== 6)
    reader.fail("bad_value", `address family ${family} is neither 4 nor 6`, reader.offset - 1);
  const bytes = reader.bytes;
  const at = reader.offset;
  if (family === 4) {
    reader.need(4, "address");
    reader.offset += 4;
    return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
  }
  return formatFamilyAddress(reader.slice(16, "address"));
}
