import { isUtf8 } from "node:buffer";
import { hasDuplicate } from "../broker-bin/decode.js";
import { DecodeError, EncodeError } from "../errors.js";
import { addressToBytes, bytesToAddress, isV4Mapped } from "../value/address.js";
import { PORT_PROTOCOLS, type ZeekValue } from "../value/model.js";
import { protocolNumber, sortCanonical } from "../value/order.js";

import { ZMQC_CBOR_V1 } from "./codec.js";

export { ZMQC_CBOR_V1 };

const MAX_DEPTH = 64;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as the smallest CBOR integer: a number when it is safe, so cbor-x writes the short form. */
const int = (value: bigint): number | bigint =>
  value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value;

/**
 * A value as plain CBOR data: `[typeTag, ...data]` with broker's type tags, so a reader in any language knows a
 * count from an integer and a timestamp from a timespan. Addresses are 4 or 16 raw bytes.
 */
export function valueToCbor(value: ZeekValue, depth = 0): unknown[] {
  if (depth > MAX_DEPTH)
    throw new EncodeError(ZMQC_CBOR_V1, "too_deep", `values nest deeper than ${MAX_DEPTH}`);
  switch (value.type) {
    case "none":
      return [0];
    case "boolean":
      return [1, value.value];
    case "count":
      return [2, int(value.value)];
    case "integer":
      return [3, int(value.value)];
    case "real":
      return [4, realBytes(value.value)];
    case "string":
      return [5, value.value];
    case "address":
      return [6, addressWire(value.value)];
    case "subnet":
      return [7, addressWire(value.address), value.length];
    case "port":
      return [8, value.number, protocolNumber(value.protocol)];
    case "timestamp":
      return [9, int(value.ns)];
    case "timespan":
      return [10, int(value.ns)];
    case "enum":
      return [11, value.name];
    case "set":
      return [
        12,
        canonical(value.elements, (element) => element, "set").map((element) =>
          valueToCbor(element, depth + 1),
        ),
      ];
    case "table":
      return [
        13,
        canonical(value.entries, ([key]) => key, "table").map(([key, entry]) => [
          valueToCbor(key, depth + 1),
          valueToCbor(entry, depth + 1),
        ]),
      ];
    case "vector":
      return [14, value.elements.map((element) => valueToCbor(element, depth + 1))];
  }
}

// A real travels as its 8 IEEE-754 bytes (big-endian): cbor-x writes integral doubles as CBOR integers and -0
// as 0, and a byte string keeps every double exactly (also NaN payloads) in any language for one extra byte.
function realBytes(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return bytes;
}

function realOf(x: unknown): number {
  if (!isBytes(x) || x.length !== 8) return fail("real data is not 8 IEEE-754 bytes");
  return new DataView(x.buffer, x.byteOffset, 8).getFloat64(0);
}

/** Set elements / table entries in broker's order; the same key twice is refused (the decoder would). */
function canonical<T>(items: readonly T[], keyOf: (item: T) => ZeekValue, what: string): T[] {
  const { sorted, duplicate } = sortCanonical(items, keyOf);
  if (duplicate) throw new EncodeError(ZMQC_CBOR_V1, "bad_value", `${what} holds the same key twice`);
  return sorted;
}

function addressWire(text: string): Uint8Array {
  const bytes = addressToBytes(text);
  if (!bytes) throw new EncodeError(ZMQC_CBOR_V1, "bad_value", `'${text}' is not an address`);
  return isV4Mapped(bytes) ? bytes.subarray(12) : bytes;
}

function fail(detail: string): never {
  throw new DecodeError(ZMQC_CBOR_V1, "bad_value", 0, detail);
}

const isBytes = (x: unknown): x is Uint8Array => x instanceof Uint8Array;

function bigintOf(x: unknown, what: string): bigint {
  if (typeof x === "bigint") return x;
  if (typeof x === "number" && Number.isSafeInteger(x)) return BigInt(x);
  return fail(`${what} is not an integer`);
}

function addressOf(x: unknown): string {
  if (!isBytes(x) || (x.length !== 4 && x.length !== 16)) return fail("an address is 4 or 16 bytes");
  if (x.length === 16) return bytesToAddress(x);
  return `${x[0]}.${x[1]}.${x[2]}.${x[3]}`;
}

function listOf(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) fail(`${what} is not an array`);
  return x;
}

/** Reads a value written by {@link valueToCbor}; anything else is a DecodeError. */
export function cborToValue(x: unknown, depth = 0): ZeekValue {
  if (depth > MAX_DEPTH)
    throw new DecodeError(ZMQC_CBOR_V1, "too_deep", 0, `values nest deeper than ${MAX_DEPTH}`);
  if (!Array.isArray(x) || x.length === 0) return fail("a value is an array [typeTag, ...data]");
  const [tag, a, b] = x as [unknown, unknown, unknown];
  switch (tag) {
    case 0:
      return { type: "none" };
    case 1:
      return typeof a === "boolean" ? { type: "boolean", value: a } : fail("boolean data is not true/false");
    case 2: {
      const value = bigintOf(a, "count");
      return value >= 0n && value < 1n << 64n
        ? { type: "count", value }
        : fail("count is outside 0 … 2^64-1");
    }
    case 3: {
      const value = bigintOf(a, "integer");
      return BigInt.asIntN(64, value) === value
        ? { type: "integer", value }
        : fail("integer is outside int64");
    }
    case 4:
      return { type: "real", value: realOf(a) };
    case 5:
      if (typeof a === "string") return { type: "string", value: a };
      // Bytes that are valid UTF-8 read as text, as in every other format.
      if (isBytes(a))
        return { type: "string", value: isUtf8(a) ? Buffer.from(a).toString("utf8") : new Uint8Array(a) };
      return fail("string data is not text or bytes");
    case 6:
      return { type: "address", value: addressOf(a) };
    case 7: {
      const address = addressOf(a);
      const max = (a as Uint8Array).length === 4 ? 32 : 128;
      if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > max)
        return fail(`subnet length is not 0 … ${max}`);
      return { type: "subnet", address, length: b };
    }
    case 8: {
      const protocol = typeof b === "number" ? PORT_PROTOCOLS[b] : undefined;
      if (typeof a !== "number" || !Number.isInteger(a) || a < 0 || a > 65535 || !protocol)
        return fail("port is not [number, protocol 0-3]");
      return { type: "port", number: a, protocol };
    }
    case 9:
    case 10: {
      const ns = bigintOf(a, "time");
      if (BigInt.asIntN(64, ns) !== ns) return fail("time is outside int64 nanoseconds");
      return tag === 9 ? { type: "timestamp", ns } : { type: "timespan", ns };
    }
    case 11:
      return typeof a === "string" ? { type: "enum", name: a } : fail("enum name is not text");
    case 12: {
      const elements = listOf(a, "set").map((element) => cborToValue(element, depth + 1));
      if (hasDuplicate(elements, (element) => element)) fail("set holds the same element twice");
      return { type: "set", elements };
    }
    case 13: {
      const entries = listOf(a, "table").map((entry): [ZeekValue, ZeekValue] => {
        const pair = listOf(entry, "table entry");
        if (pair.length !== 2) fail("a table entry is [key, value]");
        return [cborToValue(pair[0], depth + 1), cborToValue(pair[1], depth + 1)];
      });
      if (hasDuplicate(entries, ([key]) => key)) fail("table holds the same key twice");
      return { type: "table", entries };
    }
    case 14:
      return {
        type: "vector",
        elements: listOf(a, "vector").map((element) => cborToValue(element, depth + 1)),
      };
    default:
      return fail(`unknown type tag ${String(tag)}`);
  }
}
