// The reference zeek-bin-serializer encoder: every value through ByteWriter, every check in Zeek's write order.
// encode.ts runs a faster pass first and comes here for anything it does not take, so the errors (and the bytes,
// which the tests compare) are this module's.
import { ByteWriter, utf8 } from "../bytes/writer.js";
import { EncodeError } from "../errors.js";
import { type FamilyAddress, parseFamilyAddress } from "./address.js";
import { MAX_LOG_DEPTH } from "./decode.js";
import { type LogBatch, type LogField, type LogValue, logValueTag, ZEEK_BIN_SERIALIZER } from "./model.js";

const INT32_MAX = 0x7fff_ffff;
const U64_MAX = (1n << 64n) - 1n;
const PROTOCOL_NUMBERS = { unknown: 0, tcp: 1, udp: 2, icmp: 3 } as const;

function fail(reason: "out_of_range" | "bad_value" | "too_deep", detail: string): never {
  throw new EncodeError(ZEEK_BIN_SERIALIZER, reason, detail);
}

/** Type tags and subtypes are C ints on the wire. */
function writeInt(writer: ByteWriter, value: number, what: string): void {
  if (!Number.isInteger(value) || value < -INT32_MAX - 1 || value > INT32_MAX)
    fail("out_of_range", `${what} ${value} is not an int32`);
  writer.i32(value);
}

/** A string: its length as a C int (so at most 2^31-1 bytes), then the bytes. */
function writeBytes(writer: ByteWriter, value: string | Uint8Array, what: string): void {
  const bytes = utf8(value);
  if (bytes.length > INT32_MAX) fail("out_of_range", `${what} is longer than 2^31-1 bytes`);
  writer.i32(bytes.length);
  writer.bytes(bytes);
}

function parseAddress(text: string): FamilyAddress {
  return parseFamilyAddress(text) ?? fail("bad_value", `'${text}' is not an address`);
}

function writeAddress(writer: ByteWriter, address: FamilyAddress): void {
  writer.u8(address.family);
  writer.bytes(address.bytes);
}

/** Appends one value as Zeek's `threading::Value::Write` does. */
export function writeLogValue(writer: ByteWriter, value: LogValue, depth = 0): void {
  writeInt(writer, logValueTag(value), "type tag");
  writeInt(writer, value.subtype, "subtype");
  writer.u8(value.present ? 1 : 0);
  if (!value.present) return;
  switch (value.type) {
    case "bool":
      writer.i64(value.value ? 1n : 0n);
      return;
    case "int":
      if (BigInt.asIntN(64, value.value) !== value.value)
        fail("out_of_range", `int ${value.value} is outside int64`);
      writer.i64(value.value);
      return;
    case "count":
      if (value.value < 0n || value.value > U64_MAX)
        fail("out_of_range", `count ${value.value} is outside 0 … 2^64-1`);
      writer.u64(value.value);
      return;
    case "double":
    case "time":
    case "interval":
      writer.f64(value.value);
      return;
    case "string":
    case "file":
    case "func":
      writeBytes(writer, value.value, value.type);
      return;
    case "enum":
      writeBytes(writer, value.name, "enum name");
      return;
    case "port": {
      if (!Number.isInteger(value.number) || value.number < 0 || value.number > 65535)
        fail("out_of_range", `port ${value.number} is outside 0 … 65535`);
      const protocol = PROTOCOL_NUMBERS[value.protocol];
      if (protocol === undefined)
        fail("bad_value", `port protocol '${value.protocol}' is not unknown/tcp/udp/icmp`);
      writer.u64(BigInt(value.number));
      writer.i32(protocol);
      return;
    }
    case "addr":
      writeAddress(writer, parseAddress(value.value));
      return;
    case "subnet": {
      const address = parseAddress(value.address);
      const v4 = address.family === 4;
      if (!Number.isInteger(value.length) || value.length < 0 || value.length > (v4 ? 32 : 128))
        fail("out_of_range", `subnet length ${value.length} is out of range`);
      // Zeek writes the length of its IPv6 form: an IPv4 /16 is 112.
      writer.u8(v4 ? value.length + 96 : value.length);
      writeAddress(writer, address);
      return;
    }
    case "set":
    case "vector":
      if (depth >= MAX_LOG_DEPTH) fail("too_deep", `sets and vectors nest deeper than ${MAX_LOG_DEPTH}`);
      writer.i64(BigInt(value.elements.length));
      for (const element of value.elements) writeLogValue(writer, element, depth + 1);
      return;
    default:
      fail("bad_value", `unknown log value type '${(value as { type?: unknown }).type}'`);
  }
}

function writeField(writer: ByteWriter, field: LogField): void {
  writer.u8(field.secondaryName === undefined ? 0 : 1);
  if (field.secondaryName !== undefined) writeBytes(writer, field.secondaryName, "secondary name");
  writeBytes(writer, field.name, "field name");
  writeInt(writer, field.type, "field type");
  writeInt(writer, field.subtype, "field subtype");
  writer.u8(field.optional ? 1 : 0);
}

/**
 * Encodes a log batch as Zeek's `SerializeLogWrite` does, checking each value as it is written: the reference
 * for `encodeZeekLogBatch`, which gives the same bytes and, through this function, the same errors.
 */
export function encodeZeekLogBatchChecked(batch: LogBatch): Uint8Array {
  const { fields, records } = batch;
  if (fields.length === 0 && records.length > 0) fail("bad_value", `${records.length} records but no fields`);
  const writer = new ByteWriter(1024);
  writeBytes(writer, batch.stream, "stream name");
  writeBytes(writer, batch.writer, "writer name");
  writeBytes(writer, batch.filter, "filter name");
  writeBytes(writer, batch.path, "path");
  writer.u32(fields.length);
  for (const field of fields) writeField(writer, field);
  writer.u32(records.length);
  records.forEach((record, r) => {
    // Zeek's serializer writes whatever each record holds; its reader then takes the bytes for other columns.
    if (record.length !== fields.length)
      fail("bad_value", `record ${r} has ${record.length} values for ${fields.length} fields`);
    record.forEach((value, f) => {
      const field = fields[f] as LogField;
      if (logValueTag(value) !== field.type)
        fail(
          "bad_value",
          `record ${r} field ${f} '${field.name}' has type tag ${logValueTag(value)}, not ${field.type}`,
        );
      writeLogValue(writer, value);
    });
  });
  return writer.finish();
}

/** Encodes one value (the unit of Zeek's doctests). */
export function encodeZeekLogValueChecked(value: LogValue): Uint8Array {
  const writer = new ByteWriter(64);
  writeLogValue(writer, value);
  return writer.finish();
}
