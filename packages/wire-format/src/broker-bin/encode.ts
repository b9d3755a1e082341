import { ByteWriter, utf8Length } from "../bytes/writer.js";
import { EncodeError } from "../errors.js";
import { addressToBytes } from "../value/address.js";
import type { ZeekValue } from "../value/model.js";
import { protocolNumber, rawLength, sortCanonical } from "../value/order.js";
import { pack754 } from "./real.js";
import { writeVarbyte } from "./varbyte.js";

const FORMAT = "broker-bin-v1";
/** Deepest nesting an encoder writes (and a decoder accepts by default). */
export const MAX_DEPTH = 64;
const U64_MAX = (1n << 64n) - 1n;

function fail(reason: "out_of_range" | "bad_value" | "too_deep", detail: string): never {
  throw new EncodeError(FORMAT, reason, detail);
}

function writeText(writer: ByteWriter, text: string | Uint8Array): void {
  if (typeof text === "string") {
    const length = utf8Length(text);
    writeVarbyte(writer, length);
    writer.utf8(text, length);
    return;
  }
  if (text.length > 0xffff_ffff) fail("out_of_range", "string longer than 2^32-1 bytes");
  writeVarbyte(writer, text.length);
  writer.bytes(text);
}

function addressBytes(text: string): Uint8Array {
  return addressToBytes(text) ?? fail("bad_value", `'${text}' is not an address`);
}

/** Set elements / table entries in broker's order; the same key twice is refused (broker's decoder would). */
function canonical<T>(items: readonly T[], keyOf: (item: T) => ZeekValue, what: string): T[] {
  const { sorted, duplicate } = sortCanonical(items, keyOf);
  if (duplicate) fail("bad_value", `${what} holds the same key twice`);
  return sorted;
}

/** Appends one value in broker's binary format. */
export function writeValue(writer: ByteWriter, value: ZeekValue, depth = 0): void {
  if (depth > MAX_DEPTH) fail("too_deep", `values nest deeper than ${MAX_DEPTH}`);
  switch (value.type) {
    case "none":
      writer.u8(0);
      return;
    case "boolean":
      writer.u8(1);
      writer.u8(value.value ? 1 : 0);
      return;
    case "count":
      if (value.value < 0n || value.value > U64_MAX)
        fail("out_of_range", `count ${value.value} is outside 0 … 2^64-1`);
      writer.u8(2);
      writer.u64(value.value);
      return;
    case "integer":
      if (BigInt.asIntN(64, value.value) !== value.value)
        fail("out_of_range", `integer ${value.value} is outside int64`);
      writer.u8(3);
      writer.i64(value.value);
      return;
    case "real":
      writer.u8(4);
      writer.u64(pack754(value.value));
      return;
    case "string":
      writer.u8(5);
      writeText(writer, value.value);
      return;
    case "address":
      writer.u8(6);
      writer.bytes(addressBytes(value.value));
      return;
    case "subnet": {
      writer.u8(7);
      writer.bytes(addressBytes(value.address));
      const raw = rawLength(value);
      if (raw < 0 || raw > 128) fail("out_of_range", `subnet length ${value.length} is out of range`);
      writer.u8(raw);
      return;
    }
    case "port":
      writer.u8(8);
      writer.u16(value.number);
      writer.u8(protocolNumber(value.protocol));
      return;
    case "timestamp":
    case "timespan":
      if (BigInt.asIntN(64, value.ns) !== value.ns)
        fail("out_of_range", `${value.type} ${value.ns} ns is outside int64`);
      writer.u8(value.type === "timestamp" ? 9 : 10);
      writer.i64(value.ns);
      return;
    case "enum":
      writer.u8(11);
      writeText(writer, value.name);
      return;
    case "set": {
      writer.u8(12);
      const elements = canonical(value.elements, (element) => element, "set");
      writeVarbyte(writer, elements.length);
      for (const element of elements) writeValue(writer, element, depth + 1);
      return;
    }
    case "table": {
      writer.u8(13);
      const entries = canonical(value.entries, ([key]) => key, "table");
      writeVarbyte(writer, entries.length);
      for (const [key, entry] of entries) {
        writeValue(writer, key, depth + 1);
        writeValue(writer, entry, depth + 1);
      }
      return;
    }
    case "vector":
      writer.u8(14);
      writeVarbyte(writer, value.elements.length);
      for (const element of value.elements) writeValue(writer, element, depth + 1);
      return;
    default:
      fail("bad_value", `unknown value type '${(value as { type?: unknown }).type}'`);
  }
}

// One scratch writer for every encode: encoding is synchronous, and reusing its memory saves an allocation and
// the growth copies per message. finish() hands out a copy the caller owns.
const scratch = new ByteWriter(4096);

/** Encodes with the shared scratch writer; `write` must not encode anything else meanwhile. */
export function withScratch(write: (writer: ByteWriter) => void): Uint8Array {
  scratch.reset();
  write(scratch);
  return scratch.finish();
}

/** Encodes one value in `broker-bin-v1`. */
export function encodeBrokerBinValue(value: ZeekValue): Uint8Array {
  return withScratch((writer) => writeValue(writer, value));
}
