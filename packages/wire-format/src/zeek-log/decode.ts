import { ByteReader } from "../bytes/reader.js";
import { decodeText, formatIpv4 } from "../bytes/text.js";
import { formatFamilyAddress } from "./address.js";
import {
  type DecodedLogBatch,
  LOG_PORT_PROTOCOLS,
  type LogField,
  type LogValue,
  logValueTag,
  logValueType,
  ZEEK_BIN_SERIALIZER,
} from "./model.js";

/** Deepest set/vector nesting accepted by default (Zeek's own logs nest one level: a set or vector of atoms). */
export const MAX_LOG_DEPTH = 16;

/** Options of the `zeek-bin-serializer` decoders. */
export interface ZeekLogDecodeOptions {
  /** Deepest set/vector nesting accepted (default 16): a nesting bomb is an error, not a stack overflow. */
  readonly maxDepth?: number;
  /**
   * Check every value's type tag against its column's (default true). Zeek's reader does not, but its writer
   * backend does, and on a mismatch disables the writer for good (see {@link decodeZeekLogBatch}).
   */
  readonly checkValueTypes?: boolean;
}

// Smallest encodings, to check a declared count against the bytes left before allocating anything.
const MIN_VALUE_BYTES = 9; // type, subtype, present
const MIN_FIELD_BYTES = 14; // have_2nd, name length, type, subtype, optional

/**
 * A wire bool. Zeek writes 0 or 1 and reads anything but 1 as false; we refuse other bytes rather than guess.
 */
function readBool(reader: ByteReader, what: string): boolean {
  const byte = reader.u8(what);
  if (byte > 1) reader.fail("bad_value", `${what} byte ${byte} is neither 0 nor 1`, reader.offset - 1);
  return byte === 1;
}

/** A string: int32 length (negative or past the end is an error, as in Zeek), then the bytes. */
function readBytes(reader: ByteReader, what: string): string | Uint8Array {
  const start = reader.offset;
  // Fixed labels: building "<what> length" for every value would cost more than reading the value.
  const length = reader.i32("string length");
  if (length < 0) reader.fail("bad_length", `${what} length ${length} is negative`, start);
  const count = reader.declared(length, "string length", start);
  const at = reader.offset;
  reader.offset = at + count;
  // Log batches repeat their values: the cached decoder (events keep ByteReader.text).
  return decodeText(reader.bytes, at, at + count);
}

/** A string that must be text: names of streams, writers, filters, columns and enum values. */
function readText(reader: ByteReader, what: string): string {
  const start = reader.offset;
  const value = readBytes(reader, what);
  return typeof value === "string" ? value : reader.fail("bad_value", `${what} is not UTF-8`, start);
}

/** Checks a declared count: `count` items of at least `minBytes` bytes each must fit in what is left. */
function checkCount(
  reader: ByteReader,
  count: number | bigint,
  minBytes: number,
  what: string,
  at: number,
): number {
  if (count < 0) reader.fail("bad_length", `${what} ${count} is negative`, at);
  if (Number(count) * minBytes > reader.remaining)
    reader.fail("bad_length", `${what} ${count} cannot fit in the ${reader.remaining} bytes left`, at);
  return Number(count);
}

/** Reads one value (Zeek's `threading::Value::Read`). */
export function readLogValue(reader: ByteReader, depth: number, maxDepth: number): LogValue {
  const start = reader.offset;
  const bytes = reader.bytes;
  let tag: number;
  let subtype: number;
  let present: boolean;
  // The 9-byte header of every value, read inline when it is all there (the checked reads word the errors).
  if (start + 9 <= bytes.length && (bytes[start + 8] as number) <= 1) {
    tag =
      ((bytes[start] as number) << 24) |
      ((bytes[start + 1] as number) << 16) |
      ((bytes[start + 2] as number) << 8) |
      (bytes[start + 3] as number);
    subtype =
      ((bytes[start + 4] as number) << 24) |
      ((bytes[start + 5] as number) << 16) |
      ((bytes[start + 6] as number) << 8) |
      (bytes[start + 7] as number);
    present = bytes[start + 8] === 1;
    reader.offset = start + 9;
  } else {
    tag = reader.i32("type");
    subtype = reader.i32("subtype");
    present = readBool(reader, "present");
  }
  // Zeek returns before looking at the tag when the value is unset, so any tag is accepted there.
  if (!present) return { present: false, tag, subtype };
  const type = logValueType(tag);
  switch (type) {
    case undefined:
      return reader.fail("bad_tag", `type tag ${tag} cannot carry a log value`, start);
    case "bool": {
      const at = reader.offset;
      const raw = reader.u64Small("bool");
      if (raw !== 0 && raw !== 1) reader.fail("bad_value", `bool ${raw ?? "(large)"} is neither 0 nor 1`, at);
      return { type, present: true, subtype, value: raw === 1 };
    }
    case "int":
      return { type, present: true, subtype, value: reader.i64("int") };
    case "count":
      return { type, present: true, subtype, value: reader.u64("count") };
    case "double":
    case "time":
    case "interval":
      return { type, present: true, subtype, value: reader.f64("double") };
    case "string":
    case "file":
    case "func":
      return { type, present: true, subtype, value: readBytes(reader, type) };
    case "enum":
      return { type, present: true, subtype, name: readText(reader, "enum name") };
    case "port": {
      const at = reader.offset;
      const number = reader.u64Small("port");
      // Zeek's writer masks ports to 16 bits; its reader takes any uint64 and leaves the writers to print it.
      if (number === undefined || number > 65535)
        reader.fail("bad_value", `port ${number ?? "(large)"} is over 65535`, at);
      const protocol = LOG_PORT_PROTOCOLS[reader.i32("port protocol")];
      if (protocol === undefined) reader.fail("bad_value", "port protocol is not 0-3", reader.offset - 4);
      return { type, present: true, subtype, number, protocol };
    }
    case "addr":
      return { type, present: true, subtype, value: readAddress(reader) };
    case "subnet": {
      const raw = reader.u8("subnet length");
      const address = readAddress(reader);
      // Zeek writes the length of its IPv6 form (IPv4 /16 is 112); anything else renders as garbage in Zeek.
      const v4 = !address.includes(":");
      const length = v4 ? raw - 96 : raw;
      if (length < 0 || length > (v4 ? 32 : 128))
        reader.fail("bad_value", `subnet length ${raw} is not 96-128 (IPv4) or 0-128 (IPv6)`, start + 9);
      return { type, present: true, subtype, address, length };
    }
    case "set":
    case "vector": {
      if (depth >= maxDepth) reader.fail("too_deep", `sets and vectors nest deeper than ${maxDepth}`, start);
      const at = reader.offset;
      const count = checkCount(reader, reader.i64("container size"), MIN_VALUE_BYTES, `${type} size`, at);
      const elements: LogValue[] = new Array(count);
      for (let i = 0; i < count; i++) elements[i] = readLogValue(reader, depth + 1, maxDepth);
      return { type, present: true, subtype, elements };
    }
  }
}

/** An address: family byte 4 or 6 (anything else fails, as in Zeek), then 4 or 16 bytes. */
function readAddress(reader: ByteReader): string {
  const family = reader.u8("address family");
  if (family !== 4 && family !== 6)
    reader.fail("bad_value", `address family ${family} is neither 4 nor 6`, reader.offset - 1);
  if (family === 6) return formatFamilyAddress(reader.slice(16, "address"));
  reader.need(4, "address");
  reader.offset += 4;
  return formatIpv4(reader.bytes, reader.offset - 4);
}

function readField(reader: ByteReader): LogField {
  const secondaryName = readBool(reader, "have_2nd") ? readText(reader, "secondary name") : undefined;
  const name = readText(reader, "field name");
  const type = reader.i32("field type");
  const subtype = reader.i32("field subtype");
  const optional = readBool(reader, "optional");
  const field: LogField = { name, type, subtype, optional };
  return secondaryName === undefined ? field : { ...field, secondaryName };
}

/** What comes before a batch's records: names, columns, and the record count (checked against the bytes left). */
export interface BatchHeader {
  readonly stream: string;
  readonly writer: string;
  readonly filter: string;
  readonly path: string;
  readonly fields: LogField[];
  readonly recordCount: number;
}

/** Reads a batch's header; the reader is left at the first record. */
export function readBatchHeader(reader: ByteReader): BatchHeader {
  // Zeek ignores the results of these four reads; a bad one leaves an empty name that its enum lookup rejects.
  const stream = readText(reader, "stream name");
  const writer = readText(reader, "writer name");
  const filter = readText(reader, "filter name");
  const path = readText(reader, "path");

  let at = reader.offset;
  const fieldCount = checkCount(reader, reader.u32("field count"), MIN_FIELD_BYTES, "field count", at);
  const fields: LogField[] = new Array(fieldCount);
  for (let i = 0; i < fieldCount; i++) fields[i] = readField(reader);

  at = reader.offset;
  const claimed = reader.u32("record count");
  // Records without columns take no bytes, so nothing would bound their count (Zeek reserves it: 2^32-1 records
  // exhaust its memory). No stream has zero columns, so they are refused.
  if (fieldCount === 0 && claimed > 0) reader.fail("bad_value", `${claimed} records but no fields`, at);
  const recordCount = checkCount(reader, claimed, fieldCount * MIN_VALUE_BYTES, "record count", at);
  return { stream, writer, filter, path, fields, recordCount };
}

/**
 * Decodes a `zeek-bin-serializer` log batch (frame 3 of a log message); throws only DecodeError.
 *
 * Rules, as Zeek applies them (zeek/zeek v8.2.2):
 * - Every record holds exactly one value per field: the reader loops `num_fields` times per record
 *   (`UnserializeLogWrite`), so the wire cannot carry a record of another size.
 * - Bytes after the last record are ignored (`UnserializeLogWrite` never checks), so they are accepted here and
 *   counted in `trailingBytes`.
 * - A value's type tag must equal its column's. Zeek's reader does not check, but `WriterBackend::Write` does and
 *   on a mismatch calls `DisableFrontend()`: the whole buffered write is dropped and the writer stays disabled.
 *   Refusing the batch here (`bad_value`) loses less; `checkValueTypes: false` skips the check. Unset values count
 *   too (Zeek gives them the column's tag); element types of sets and vectors and all subtypes are never checked.
 * - Stricter than Zeek, which would accept them and pass nonsense on to its writers: wire bools other than 0/1,
 *   ports over 65535, subnet lengths outside the IPv6-based range, non-UTF-8 header, column and enum names,
 *   records in a batch without columns, and nesting deeper than `maxDepth`.
 */
export function decodeZeekLogBatch(bytes: Uint8Array, options: ZeekLogDecodeOptions = {}): DecodedLogBatch {
  const reader = new ByteReader(bytes, ZEEK_BIN_SERIALIZER);
  const maxDepth = options.maxDepth ?? MAX_LOG_DEPTH;
  const checkTypes = options.checkValueTypes ?? true;
  const { stream, writer, filter, path, fields, recordCount } = readBatchHeader(reader);
  const fieldCount = fields.length;
  const records: LogValue[][] = new Array(recordCount);
  for (let r = 0; r < recordCount; r++) {
    const record: LogValue[] = new Array(fieldCount);
    for (let f = 0; f < fieldCount; f++) {
      const start = reader.offset;
      const value = readLogValue(reader, 0, maxDepth);
      const field = fields[f] as LogField;
      if (checkTypes && logValueTag(value) !== field.type) {
        reader.fail(
          "bad_value",
          `record ${r} field ${f} '${field.name}' has type tag ${logValueTag(value)}, the column ${field.type}`,
          start,
        );
      }
      record[f] = value;
    }
    records[r] = record;
  }
  return { stream, writer, filter, path, fields, records, trailingBytes: reader.remaining };
}

/** Decodes one value (as in Zeek's doctests); unlike a batch, bytes left over are an error. */
export function decodeZeekLogValue(
  bytes: Uint8Array,
  options: Pick<ZeekLogDecodeOptions, "maxDepth"> = {},
): LogValue {
  const reader = new ByteReader(bytes, ZEEK_BIN_SERIALIZER);
  const value = readLogValue(reader, 0, options.maxDepth ?? MAX_LOG_DEPTH);
  reader.end();
  return value;
}
