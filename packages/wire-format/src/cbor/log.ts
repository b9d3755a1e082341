import { DecodeError, EncodeError } from "../errors.js";
import { formatFamilyAddress, parseFamilyAddress } from "../zeek-log/address.js";
import {
  LOG_PORT_PROTOCOLS,
  type LogBatch,
  type LogField,
  type LogValue,
  logValueTag,
  logValueType,
} from "../zeek-log/model.js";
import { cborEncoder, readCbor } from "./codec.js";
import { ZMQC_CBOR_V1 } from "./value.js";

const ENVELOPE_VERSION = 1;
const MAX_DEPTH = 16;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const int = (value: bigint): number | bigint =>
  value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value;

function float64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return bytes;
}

function address(text: string): Uint8Array {
  const parsed = parseFamilyAddress(text);
  if (!parsed) throw new EncodeError(ZMQC_CBOR_V1, "bad_value", `'${text}' is not an address`);
  return parsed.bytes;
}

/**
 * A log value as CBOR: `[typeTag, subtype, data…]` with Zeek's type tags (§7 of SPEC.md), or `[typeTag, subtype]`
 * when unset. Doubles are 8 IEEE bytes (exact), addresses 4 or 16 bytes (the family survives).
 */
function logValueToCbor(value: LogValue, depth: number): unknown[] {
  if (depth > MAX_DEPTH)
    throw new EncodeError(ZMQC_CBOR_V1, "too_deep", `log values nest deeper than ${MAX_DEPTH}`);
  const head = [logValueTag(value), value.subtype];
  if (!value.present) return head;
  switch (value.type) {
    case "bool":
      return [...head, value.value];
    case "int":
    case "count":
      return [...head, int(value.value)];
    case "double":
    case "time":
    case "interval":
      return [...head, float64(value.value)];
    case "string":
    case "file":
    case "func":
      return [...head, value.value];
    case "enum":
      return [...head, value.name];
    case "port":
      return [...head, value.number, LOG_PORT_PROTOCOLS.indexOf(value.protocol)];
    case "addr":
      return [...head, address(value.value)];
    case "subnet":
      return [...head, address(value.address), value.length];
    case "set":
    case "vector":
      return [...head, value.elements.map((element) => logValueToCbor(element, depth + 1))];
  }
}

/**
 * Encodes a log batch as `zmqc-cbor-v1`: a CBOR map
 * `{ v: 1, stream, writer, filter, path, fields: [[name, type, subtype, optional, secondaryName?]…], records: [[value…]…] }`.
 */
export function encodeCborLogBatch(batch: LogBatch): Uint8Array {
  const fields = batch.fields.map((field) => {
    const row: unknown[] = [field.name, field.type, field.subtype, field.optional];
    if (field.secondaryName !== undefined) row.push(field.secondaryName);
    return row;
  });
  const records = batch.records.map((record) => {
    if (record.length !== batch.fields.length) {
      throw new EncodeError(
        ZMQC_CBOR_V1,
        "bad_value",
        `a record has ${record.length} values for ${batch.fields.length} fields`,
      );
    }
    return record.map((value) => logValueToCbor(value, 0));
  });
  return cborEncoder.encode({
    v: ENVELOPE_VERSION,
    stream: batch.stream,
    writer: batch.writer,
    filter: batch.filter,
    path: batch.path,
    fields,
    records,
  });
}

function bad(detail: string): never {
  throw new DecodeError(ZMQC_CBOR_V1, "bad_value", 0, detail);
}

const isBytes = (x: unknown): x is Uint8Array => x instanceof Uint8Array;
const isInt32 = (x: unknown): x is number =>
  typeof x === "number" && Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

function bigintOf(x: unknown): bigint {
  if (typeof x === "bigint") return x;
  if (typeof x === "number" && Number.isSafeInteger(x)) return BigInt(x);
  return bad("an int or count is not an integer");
}

function doubleOf(x: unknown): number {
  if (!isBytes(x) || x.length !== 8) return bad("a double is 8 IEEE-754 bytes");
  return new DataView(x.buffer, x.byteOffset, 8).getFloat64(0);
}

function textOrBytes(x: unknown): string | Uint8Array {
  if (typeof x === "string") return x;
  if (isBytes(x)) return new Uint8Array(x);
  return bad("a string is text or bytes");
}

function addressOf(x: unknown): string {
  if (!isBytes(x) || (x.length !== 4 && x.length !== 16)) return bad("an address is 4 or 16 bytes");
  return formatFamilyAddress(x);
}

function cborToLogValue(x: unknown, depth: number): LogValue {
  if (depth > MAX_DEPTH)
    throw new DecodeError(ZMQC_CBOR_V1, "too_deep", 0, `log values nest deeper than ${MAX_DEPTH}`);
  if (!Array.isArray(x) || x.length < 2 || !isInt32(x[0]) || !isInt32(x[1]))
    return bad("a log value is [typeTag, subtype, data…]");
  // Indexed reads and literal objects below, not destructuring and spreads: this runs once per log value.
  const tag = x[0] as number;
  const subtype = x[1] as number;
  const a: unknown = x[2];
  const b: unknown = x[3];
  if (x.length === 2) return { present: false, tag, subtype };
  const type = logValueType(tag);
  switch (type) {
    case "bool":
      return typeof a === "boolean"
        ? { present: true, subtype, type, value: a }
        : bad("bool data is not true/false");
    case "int": {
      const value = bigintOf(a);
      return BigInt.asIntN(64, value) === value
        ? { present: true, subtype, type, value }
        : bad("int is outside int64");
    }
    case "count": {
      const value = bigintOf(a);
      return BigInt.asUintN(64, value) === value
        ? { present: true, subtype, type, value }
        : bad("count is outside uint64");
    }
    case "double":
    case "time":
    case "interval":
      return { present: true, subtype, type, value: doubleOf(a) };
    case "string":
    case "file":
    case "func":
      return { present: true, subtype, type, value: textOrBytes(a) };
    case "enum":
      return typeof a === "string" ? { present: true, subtype, type, name: a } : bad("enum name is not text");
    case "port": {
      const protocol = typeof b === "number" ? LOG_PORT_PROTOCOLS[b] : undefined;
      if (typeof a !== "number" || !Number.isInteger(a) || a < 0 || a > 65535 || !protocol)
        return bad("port is [number, protocol 0-3]");
      return { present: true, subtype, type, number: a, protocol };
    }
    case "addr":
      return { present: true, subtype, type, value: addressOf(a) };
    case "subnet": {
      const text = addressOf(a);
      const max = (a as Uint8Array).length === 4 ? 32 : 128;
      if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > max)
        return bad(`subnet length is not 0 … ${max}`);
      return { present: true, subtype, type, address: text, length: b };
    }
    case "set":
    case "vector":
      if (!Array.isArray(a)) return bad(`${type} data is not an array`);
      return {
        present: true,
        subtype,
        type,
        elements: a.map((element) => cborToLogValue(element, depth + 1)),
      };
    default:
      return bad(`type tag ${tag} cannot carry a log value`);
  }
}

function readField(x: unknown): LogField {
  if (!Array.isArray(x) || x.length < 4 || x.length > 5)
    return bad("a field is [name, type, subtype, optional, secondaryName?]");
  const [name, type, subtype, optional, secondaryName] = x as [unknown, unknown, unknown, unknown, unknown];
  if (typeof name !== "string" || !isInt32(type) || !isInt32(subtype) || typeof optional !== "boolean")
    return bad("malformed field");
  if (secondaryName !== undefined && typeof secondaryName !== "string")
    return bad("a secondary name is text");
  return secondaryName === undefined
    ? { name, type, subtype, optional }
    : { name, secondaryName, type, subtype, optional };
}

/** Decodes a `zmqc-cbor-v1` log batch; throws only DecodeError. */
export function decodeCborLogBatch(payload: Uint8Array): LogBatch {
  const envelope = readCbor(payload);
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope))
    return bad("a log batch is a CBOR map");
  const { v, stream, writer, filter, path, fields, records } = envelope as Record<string, unknown>;
  if (v !== ENVELOPE_VERSION) return bad(`envelope version ${String(v)} is not ${ENVELOPE_VERSION}`);
  for (const [name, text] of Object.entries({ stream, writer, filter, path }))
    if (typeof text !== "string") bad(`${name} is not text`);
  if (!Array.isArray(fields) || !Array.isArray(records)) return bad("fields and records are arrays");
  const columns = fields.map(readField);
  return {
    stream: stream as string,
    writer: writer as string,
    filter: filter as string,
    path: path as string,
    fields: columns,
    records: records.map((record) => {
      if (!Array.isArray(record) || record.length !== columns.length)
        bad(`a record does not have ${columns.length} values`);
      return (record as unknown[]).map((value) => cborToLogValue(value, 0));
    }),
  };
}
