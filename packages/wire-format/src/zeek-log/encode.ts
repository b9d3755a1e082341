import { type FamilyAddress, parseFamilyAddress } from "./address.js";
import { MAX_LOG_DEPTH } from "./decode.js";
import { encodeZeekLogBatchChecked, encodeZeekLogValueChecked } from "./encode-checked.js";
import { type LogBatch, type LogField, type LogValue, TypeTag } from "./model.js";

// The fast zeek-bin-serializer encoder. One pass writes straight into a reused scratch buffer: strings without a
// TextEncoder copy (short ASCII by hand, the rest by Buffer's native UTF-8 writer), counts, ints and ports that
// fit a double as two 32-bit words instead of BigInt writes, dotted-quad addresses parsed in place. It only
// takes values it is sure of; anything else (an error, a value of an unexpected shape) makes it give up on the
// batch, which is then encoded by encode-checked.ts: the same bytes, or the same EncodeError, as before.

/** Marks a value whose type the caller does not check (set and vector elements): no int32 tag equals it. */
const ANY_TAG = 0x1_0000_0000;
const TWO_32 = 0x1_0000_0000;
const INT32_MAX = 0x7fff_ffff;
/** The most one value's header and fixed-size body take: 9 + a subnet's 18 bytes. */
const VALUE_MAX_FIXED = 27;
/** Strings up to this length are copied by hand when they are ASCII; longer ones take the native writer. */
const SHORT_STRING = 24;
/** The scratch buffer keeps its memory up to this size; a larger one (a huge batch) is let go after use. */
const KEEP_BYTES = 4 * 1024 * 1024;
const U64_MIN = 0n;
const U64_MAX = (1n << 64n) - 1n;

/** Buffer's native UTF-8 writer, called without argument checks (offset and room are the caller's). */
const utf8Write = (
  Buffer.prototype as unknown as { utf8Write(this: Buffer, text: string, offset: number): number }
).utf8Write;

class ScratchWriter {
  buffer: Buffer;
  view: DataView;
  offset = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafeSlow(size);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, size);
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): void {
    if (this.offset + count > this.buffer.length) this.grow(count);
  }

  private grow(count: number): void {
    let size = this.buffer.length * 2;
    while (size < this.offset + count) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, size);
  }

  /** Tag, subtype and the present byte of a value (room reserved by the caller). */
  header(tag: number, subtype: number, present: number): void {
    const view = this.view;
    const at = this.offset;
    view.setInt32(at, tag);
    view.setInt32(at + 4, subtype);
    this.buffer[at + 8] = present;
    this.offset = at + 9;
  }

  /** A non-negative integer below 2^53 as a uint64 (room reserved). */
  u64(value: number): void {
    const at = this.offset;
    this.view.setUint32(at, Math.floor(value / TWO_32));
    this.view.setUint32(at + 4, value >>> 0);
    this.offset = at + 8;
  }

  /** An integer of magnitude below 2^53 as an int64 (room reserved). */
  i64(value: number): void {
    const at = this.offset;
    this.view.setInt32(at, Math.floor(value / TWO_32));
    this.view.setUint32(at + 4, value >>> 0);
    this.offset = at + 8;
  }

  f64(value: number): void {
    const at = this.offset;
    // NaN through the same write as before, so a NaN's payload bits go out as they did.
    if (Number.isNaN(value)) this.buffer.writeDoubleBE(value, at);
    else this.view.setFloat64(at, value);
    this.offset = at + 8;
  }

  /** A string as Zeek writes one: its UTF-8 length as an int, then the bytes. */
  text(text: string): void {
    const length = text.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2).
    this.reserve(4 + length * 3);
    const start = this.offset + 4;
    let written = -1;
    if (length <= SHORT_STRING) {
      const buffer = this.buffer;
      let i = 0;
      for (; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0x7f) break;
        buffer[start + i] = code;
      }
      if (i === length) written = length;
    }
    if (written < 0) written = utf8Write.call(this.buffer, text, start);
    this.view.setInt32(this.offset, written);
    this.offset = start + written;
  }

  raw(bytes: Uint8Array): boolean {
    const length = bytes.length;
    if (length > INT32_MAX) return false;
    this.reserve(4 + length);
    this.view.setInt32(this.offset, length);
    this.buffer.set(bytes, this.offset + 4);
    this.offset += 4 + length;
    return true;
  }

  /** A string or its bytes; false for anything else. */
  textOrBytes(value: unknown): boolean {
    if (typeof value === "string") {
      this.text(value);
      return true;
    }
    return value instanceof Uint8Array && this.raw(value);
  }

  /** Copies out the bytes written: a plain Uint8Array the caller owns. */
  finish(): Uint8Array {
    // Memory of its own that is not zeroed first (allocUnsafeSlow takes nothing from Buffer's shared pool), as a
    // plain Uint8Array.
    const own = Buffer.allocUnsafeSlow(this.offset);
    this.buffer.copy(own, 0, 0, this.offset);
    return new Uint8Array(own.buffer, own.byteOffset, this.offset);
  }
}

const isInt32 = (value: unknown): value is number => ((value as number) | 0) === value;

/** Writes a dotted quad's family and bytes in place when `text` is one (as addressToBytes reads it), else false. */
function writeIpv4(writer: ScratchWriter, text: string): boolean {
  const length = text.length;
  if (length < 7 || length > 15) return false;
  const buffer = writer.buffer;
  let at = writer.offset + 1;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) {
      if (++digits > 3) return false;
      octet = octet * 10 + code - 0x30;
    } else if (code === 0x2e && digits > 0 && dots < 3) {
      if (octet > 255) return false;
      buffer[at++] = octet;
      dots++;
      octet = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return false;
  buffer[at] = octet;
  buffer[writer.offset] = 4;
  writer.offset = at + 1;
  return true;
}

function writeFamilyAddress(writer: ScratchWriter, address: FamilyAddress): void {
  writer.buffer[writer.offset] = address.family;
  writer.buffer.set(address.bytes, writer.offset + 1);
  writer.offset += 1 + address.bytes.length;
}

/**
 * Writes one value whose column has type tag `expected` (ANY_TAG: not checked); false, with the writer in an
 * unknown state, when the value is not one this pass takes.
 */
function writeValue(writer: ScratchWriter, value: LogValue, expected: number, depth: number): boolean {
  if (value === null || typeof value !== "object") return false;
  writer.reserve(VALUE_MAX_FIXED);
  const subtype = value.subtype;
  if (!isInt32(subtype)) return false;
  if (!value.present) {
    const tag = value.tag;
    if (!isInt32(tag) || (tag !== expected && expected !== ANY_TAG)) return false;
    writer.header(tag, subtype, 0);
    return true;
  }
  switch (value.type) {
    case "time":
    case "interval":
    case "double": {
      const tag =
        value.type === "time" ? TypeTag.TIME : value.type === "interval" ? TypeTag.INTERVAL : TypeTag.DOUBLE;
      if ((tag !== expected && expected !== ANY_TAG) || typeof value.value !== "number") return false;
      writer.header(tag, subtype, 1);
      writer.f64(value.value);
      return true;
    }
    case "string":
    case "file":
    case "func": {
      const tag =
        value.type === "string" ? TypeTag.STRING : value.type === "file" ? TypeTag.FILE : TypeTag.FUNC;
      if (tag !== expected && expected !== ANY_TAG) return false;
      writer.header(tag, subtype, 1);
      return writer.textOrBytes(value.value);
    }
    case "enum":
      if (TypeTag.ENUM !== expected && expected !== ANY_TAG) return false;
      if (typeof value.name !== "string") return false;
      writer.header(TypeTag.ENUM, subtype, 1);
      writer.text(value.name);
      return true;
    case "count": {
      const n = value.value;
      if ((TypeTag.COUNT !== expected && expected !== ANY_TAG) || typeof n !== "bigint") return false;
      writer.header(TypeTag.COUNT, subtype, 1);
      const number = Number(n);
      // Rounding is monotonic, so a double at most 2^53-1 came from exactly that bigint.
      if (number >= 0 && number <= Number.MAX_SAFE_INTEGER) writer.u64(number);
      else if (n >= U64_MIN && n <= U64_MAX) {
        writer.view.setBigUint64(writer.offset, n);
        writer.offset += 8;
      } else return false;
      return true;
    }
    case "int": {
      const n = value.value;
      if ((TypeTag.INT !== expected && expected !== ANY_TAG) || typeof n !== "bigint") return false;
      writer.header(TypeTag.INT, subtype, 1);
      const number = Number(n);
      if (number >= -Number.MAX_SAFE_INTEGER && number <= Number.MAX_SAFE_INTEGER) writer.i64(number);
      else if (BigInt.asIntN(64, n) === n) {
        writer.view.setBigInt64(writer.offset, n);
        writer.offset += 8;
      } else return false;
      return true;
    }
    case "port": {
      if (TypeTag.PORT !== expected && expected !== ANY_TAG) return false;
      const number = value.number;
      if (!isInt32(number) || number < 0 || number > 65535) return false;
      const protocol = value.protocol;
      const wire =
        protocol === "tcp"
          ? 1
          : protocol === "udp"
            ? 2
            : protocol === "icmp"
              ? 3
              : protocol === "unknown"
                ? 0
                : -1;
      if (wire < 0) return false;
      writer.header(TypeTag.PORT, subtype, 1);
      const at = writer.offset;
      writer.view.setUint32(at, 0);
      writer.view.setUint32(at + 4, number);
      writer.view.setInt32(at + 8, wire);
      writer.offset = at + 12;
      return true;
    }
    case "bool":
      if (TypeTag.BOOL !== expected && expected !== ANY_TAG) return false;
      writer.header(TypeTag.BOOL, subtype, 1);
      writer.u64(value.value ? 1 : 0);
      return true;
    case "addr": {
      if (TypeTag.ADDR !== expected && expected !== ANY_TAG) return false;
      const text = value.value;
      if (typeof text !== "string") return false;
      writer.header(TypeTag.ADDR, subtype, 1);
      if (writeIpv4(writer, text)) return true;
      const address = parseFamilyAddress(text);
      if (address === undefined) return false;
      writeFamilyAddress(writer, address);
      return true;
    }
    case "subnet": {
      if (TypeTag.SUBNET !== expected && expected !== ANY_TAG) return false;
      const text = value.address;
      const length = value.length;
      if (typeof text !== "string" || !isInt32(length) || length < 0) return false;
      const address = parseFamilyAddress(text);
      if (address === undefined) return false;
      const v4 = address.family === 4;
      if (length > (v4 ? 32 : 128)) return false;
      writer.header(TypeTag.SUBNET, subtype, 1);
      // Zeek writes the length of its IPv6 form: an IPv4 /16 is 112.
      writer.buffer[writer.offset++] = v4 ? length + 96 : length;
      writeFamilyAddress(writer, address);
      return true;
    }
    case "set":
    case "vector": {
      const tag = value.type === "set" ? TypeTag.TABLE : TypeTag.VECTOR;
      if (tag !== expected && expected !== ANY_TAG) return false;
      const elements = value.elements;
      if (depth >= MAX_LOG_DEPTH || !Array.isArray(elements)) return false;
      writer.header(tag, subtype, 1);
      writer.u64(elements.length);
      for (let i = 0; i < elements.length; i++)
        if (!writeValue(writer, elements[i] as LogValue, ANY_TAG, depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function writeField(writer: ScratchWriter, field: LogField): boolean {
  if (field === null || typeof field !== "object") return false;
  const { secondaryName, type, subtype } = field;
  writer.reserve(1);
  writer.buffer[writer.offset++] = secondaryName === undefined ? 0 : 1;
  if (secondaryName !== undefined && !writer.textOrBytes(secondaryName)) return false;
  if (!writer.textOrBytes(field.name) || !isInt32(type) || !isInt32(subtype)) return false;
  writer.reserve(9);
  writer.view.setInt32(writer.offset, type);
  writer.view.setInt32(writer.offset + 4, subtype);
  writer.buffer[writer.offset + 8] = field.optional ? 1 : 0;
  writer.offset += 9;
  return true;
}

/** The whole batch, or false when a value or field is not one the fast pass takes (or is wrong). */
function writeBatch(writer: ScratchWriter, batch: LogBatch): boolean {
  const { fields, records } = batch;
  if (!Array.isArray(fields) || !Array.isArray(records)) return false;
  const width = fields.length;
  if (width === 0 && records.length > 0) return false;
  if (
    !writer.textOrBytes(batch.stream) ||
    !writer.textOrBytes(batch.writer) ||
    !writer.textOrBytes(batch.filter) ||
    !writer.textOrBytes(batch.path)
  )
    return false;
  writer.reserve(4);
  writer.view.setUint32(writer.offset, width);
  writer.offset += 4;
  const types: number[] = new Array(width);
  for (let f = 0; f < width; f++) {
    const field = fields[f] as LogField;
    if (!writeField(writer, field)) return false;
    types[f] = field.type;
  }
  writer.reserve(4);
  writer.view.setUint32(writer.offset, records.length);
  writer.offset += 4;
  for (let r = 0; r < records.length; r++) {
    const record = records[r];
    if (!Array.isArray(record) || record.length !== width) return false;
    for (let f = 0; f < width; f++)
      if (!writeValue(writer, record[f] as LogValue, types[f] as number, 0)) return false;
  }
  return true;
}

// One scratch buffer for every encode (encoding is synchronous), made at the first; finish() hands out a copy.
const SCRATCH_BYTES = 64 * 1024;
let scratch: ScratchWriter | undefined;
let busy = false;

/** Runs the fast pass with the scratch writer: the bytes, or undefined when the checked encoder must take over. */
function fast(write: (writer: ScratchWriter) => boolean): Uint8Array | undefined {
  // A getter that encodes from inside an encode would share the scratch buffer: leave that to the checked path.
  if (busy) return undefined;
  busy = true;
  try {
    scratch ??= new ScratchWriter(SCRATCH_BYTES);
    const writer = scratch;
    writer.offset = 0;
    const ok = write(writer);
    const bytes = ok ? writer.finish() : undefined;
    if (writer.buffer.length > KEEP_BYTES) scratch = undefined;
    return bytes;
  } catch {
    // Whatever a value's getters or conversions threw, the checked encoder throws it again, in its order.
    return undefined;
  } finally {
    busy = false;
  }
}

/**
 * Encodes a log batch as Zeek's `SerializeLogWrite` does. Refuses (EncodeError) what a Zeek logger would drop: a
 * record whose value count differs from the field count, a value whose type tag differs from its column's, and
 * records in a batch without fields.
 *
 * @example
 * ```ts
 * const payload = encodeZeekLogBatch({
 *   stream: "Conn::LOG", writer: "Log::WRITER_ASCII", filter: "default", path: "conn",
 *   fields: [logField("ts", "time"), logField("uid", "string")],
 *   records: [[LogValues.time(1700000000.5), LogValues.string("CHhAvVGS1DHFjwGM9")]],
 * });
 * ```
 */
export function encodeZeekLogBatch(batch: LogBatch): Uint8Array {
  return fast((writer) => writeBatch(writer, batch)) ?? encodeZeekLogBatchChecked(batch);
}

/** Encodes one value (the unit of Zeek's doctests). */
export function encodeZeekLogValue(value: LogValue): Uint8Array {
  return fast((writer) => writeValue(writer, value, ANY_TAG, 0)) ?? encodeZeekLogValueChecked(value);
}
