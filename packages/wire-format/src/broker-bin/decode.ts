import { ByteReader } from "../bytes/reader.js";
import { bytesToAddress, isV4Mapped } from "../value/address.js";
import { PORT_PROTOCOLS, type ZeekValue } from "../value/model.js";
import { compareValues } from "../value/order.js";
import { MAX_DEPTH } from "./encode.js";
import { unpack754 } from "./real.js";
import { readVarbyte } from "./varbyte.js";

const FORMAT = "broker-bin-v1";
const NONE: ZeekValue = Object.freeze({ type: "none" });
const TRUE: ZeekValue = Object.freeze({ type: "boolean", value: true });
const FALSE: ZeekValue = Object.freeze({ type: "boolean", value: false });

/** Options of the broker-bin decoders. */
export interface BrokerBinDecodeOptions {
  /** Deepest container nesting accepted (default 64): a nesting bomb is an error, not a stack overflow. */
  readonly maxDepth?: number;
}

/** Reads a byte length and checks it against the bytes left. */
function readLength(reader: ByteReader, what: string): number {
  const start = reader.offset;
  return reader.declared(readVarbyte(reader, what), what, start);
}

/** Reads a container's element count; every element takes at least one byte, so a count past the end is a lie. */
function readCount(reader: ByteReader, what: string, bytesPerItem: number): number {
  const start = reader.offset;
  const count = readVarbyte(reader, `${what} size`);
  if (count * bytesPerItem > reader.remaining) {
    reader.fail("bad_length", `${what} claims ${count} elements, only ${reader.remaining} bytes left`, start);
  }
  return count;
}

/**
 * True when two items have equal keys. Zeek sends sets and tables sorted, so one pass over neighbours usually
 * settles it; anything else is sorted first, so a hostile input costs O(n log n), never O(n²).
 */
export function hasDuplicate<T>(items: readonly T[], keyOf: (item: T) => ZeekValue): boolean {
  let sorted = true;
  for (let i = 1; i < items.length; i++) {
    const order = compareValues(keyOf(items[i - 1] as T), keyOf(items[i] as T));
    if (order === 0) return true;
    if (order > 0) sorted = false;
  }
  if (sorted) return false;
  const keys = items.map(keyOf).sort(compareValues);
  for (let i = 1; i < keys.length; i++)
    if (compareValues(keys[i - 1] as ZeekValue, keys[i] as ZeekValue) === 0) return true;
  return false;
}

/** Reads one value at the reader's position. */
export function readValue(reader: ByteReader, depth: number, maxDepth: number): ZeekValue {
  const start = reader.offset;
  const tag = reader.u8("type tag");
  switch (tag) {
    case 0:
      return NONE;
    case 1:
      return reader.u8("boolean") !== 0 ? TRUE : FALSE;
    case 2:
      return { type: "count", value: reader.u64("count") };
    case 3:
      return { type: "integer", value: reader.i64("integer") };
    case 4:
      return { type: "real", value: unpack754(reader.u64("real")) };
    case 5:
      return { type: "string", value: reader.text(readLength(reader, "string length"), "string") };
    case 6:
      return { type: "address", value: bytesToAddress(reader.slice(16, "address")) };
    case 7: {
      const network = reader.slice(16, "subnet address");
      const raw = reader.u8("subnet length");
      if (raw > 128) reader.fail("bad_value", `subnet length ${raw} is over 128`, reader.offset - 1);
      const v4 = isV4Mapped(network) && raw >= 96;
      return { type: "subnet", address: bytesToAddress(network), length: v4 ? raw - 96 : raw };
    }
    case 8: {
      const number = reader.u16("port");
      const protocol = reader.u8("port protocol");
      const name = PORT_PROTOCOLS[protocol];
      if (name === undefined)
        reader.fail("bad_value", `port protocol ${protocol} is not 0-3`, reader.offset - 1);
      return { type: "port", number, protocol: name };
    }
    case 9:
      return { type: "timestamp", ns: reader.i64("timestamp") };
    case 10:
      return { type: "timespan", ns: reader.i64("timespan") };
    case 11: {
      const name = reader.text(readLength(reader, "enum name length"), "enum name");
      if (typeof name !== "string") reader.fail("bad_value", "enum name is not UTF-8", start);
      return { type: "enum", name };
    }
    case 12:
    case 14: {
      if (depth >= maxDepth) reader.fail("too_deep", `containers nest deeper than ${maxDepth}`, start);
      const what = tag === 12 ? "set" : "vector";
      const count = readCount(reader, what, 1);
      const elements: ZeekValue[] = new Array(count);
      for (let i = 0; i < count; i++) elements[i] = readValue(reader, depth + 1, maxDepth);
      if (tag === 14) return { type: "vector", elements };
      // broker's decoder rejects a set that names an element twice.
      if (hasDuplicate(elements, (element) => element))
        reader.fail("bad_value", "set holds the same element twice", start);
      return { type: "set", elements };
    }
    case 13: {
      if (depth >= maxDepth) reader.fail("too_deep", `containers nest deeper than ${maxDepth}`, start);
      const count = readCount(reader, "table", 2);
      const entries: [ZeekValue, ZeekValue][] = new Array(count);
      for (let i = 0; i < count; i++) {
        const key = readValue(reader, depth + 1, maxDepth);
        entries[i] = [key, readValue(reader, depth + 1, maxDepth)];
      }
      if (hasDuplicate(entries, ([key]) => key))
        reader.fail("bad_value", "table holds the same key twice", start);
      return { type: "table", entries };
    }
    default:
      return reader.fail("bad_tag", `unknown type tag ${tag}`, start);
  }
}

/** Decodes one complete `broker-bin-v1` value; bytes left over are an error, as in broker. */
export function decodeBrokerBinValue(bytes: Uint8Array, options: BrokerBinDecodeOptions = {}): ZeekValue {
  const reader = new ByteReader(bytes, FORMAT);
  const value = readValue(reader, 0, options.maxDepth ?? MAX_DEPTH);
  reader.end();
  return value;
}
