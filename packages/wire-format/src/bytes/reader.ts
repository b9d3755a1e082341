import { isUtf8 } from "node:buffer";
import { DecodeError, type DecodeReason } from "../errors.js";

/**
 * A bounds-checked cursor over one payload. Every read checks the remaining length first, so a truncated or
 * lying input ends in a DecodeError, never in an out-of-range read or a huge allocation.
 */
// Buffer's native readers, called on any Uint8Array (zeromq.js hands us Buffers, other callers plain arrays) so no
// Buffer view has to be made per message. The slicers skip toString()'s argument checks, which matter for short
// strings.
const native = Buffer.prototype as unknown as {
  latin1Slice(this: Uint8Array, start: number, end: number): string;
  utf8Slice(this: Uint8Array, start: number, end: number): string;
  readUInt16BE(this: Uint8Array, offset: number): number;
  readUInt32BE(this: Uint8Array, offset: number): number;
  readInt32BE(this: Uint8Array, offset: number): number;
  readBigUInt64BE(this: Uint8Array, offset: number): bigint;
  readBigInt64BE(this: Uint8Array, offset: number): bigint;
  readDoubleBE(this: Uint8Array, offset: number): number;
};

export class ByteReader {
  readonly bytes: Uint8Array;
  readonly format: string;
  offset = 0;
  private view: DataView | undefined;

  constructor(bytes: Uint8Array, format: string) {
    this.bytes = bytes;
    this.format = format;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(reason: DecodeReason, detail: string, at = this.offset): never {
    throw new DecodeError(this.format, reason, at, detail);
  }

  /** Throws unless `count` more bytes exist. */
  need(count: number, what: string): void {
    if (count > this.bytes.length - this.offset) {
      this.fail("truncated", `${what} needs ${count} bytes, ${this.remaining} left`);
    }
  }

  u8(what = "byte"): number {
    this.need(1, what);
    return this.bytes[this.offset++] as number;
  }

  u16(what = "uint16"): number {
    this.need(2, what);
    const value = native.readUInt16BE.call(this.bytes, this.offset);
    this.offset += 2;
    return value;
  }

  u32(what = "uint32"): number {
    this.need(4, what);
    const value = this.word(this.offset);
    this.offset += 4;
    return value;
  }

  i32(what = "int32"): number {
    this.need(4, what);
    const value = this.word(this.offset) | 0;
    this.offset += 4;
    return value;
  }

  u64(what = "uint64"): bigint {
    this.need(8, what);
    const high = this.word(this.offset);
    const low = this.word(this.offset + 4);
    this.offset += 8;
    // Most 64-bit values on the wire are small: one BigInt conversion instead of three.
    return high === 0 ? BigInt(low) : (BigInt(high) << 32n) | BigInt(low);
  }

  i64(what = "int64"): bigint {
    this.need(8, what);
    const high = this.word(this.offset);
    const low = this.word(this.offset + 4);
    this.offset += 8;
    if (high === 0) return BigInt(low);
    return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
  }

  /** Reads 8 bytes as a number when the value fits 2^53 (small counts, bools, ports), else undefined; no BigInt. */
  u64Small(what = "uint64"): number | undefined {
    this.need(8, what);
    const high = this.word(this.offset);
    const low = this.word(this.offset + 4);
    if (high > 0x1f_ffff) return undefined;
    this.offset += 8;
    return high * 0x1_0000_0000 + low;
  }

  /** An unsigned 32-bit big-endian word at `at` (bounds checked by the caller). */
  private word(at: number): number {
    const b = this.bytes;
    return (
      ((b[at] as number) * 0x100_0000 +
        (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))) >>>
      0
    );
  }

  f64(what = "double"): number {
    this.need(8, what);
    // A DataView made once per reader: getFloat64 is a V8 intrinsic, cheaper than Buffer's readDoubleBE per call.
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const value = this.view.getFloat64(this.offset);
    this.offset += 8;
    return value;
  }

  /** Checks a length read from the input (starting at `at`) against what is left: a lie is `bad_length`. */
  declared(length: number, what: string, at: number): number {
    if (length > this.remaining)
      this.fail("bad_length", `${what} ${length} runs past the end (${this.remaining} bytes left)`, at);
    return length;
  }

  /** `count` raw bytes, as a view into the input (no copy). */
  slice(count: number, what: string): Uint8Array {
    this.need(count, what);
    const start = this.offset;
    this.offset += count;
    return this.bytes.subarray(start, this.offset);
  }

  /** `count` bytes as text when they are valid UTF-8, else the raw bytes (Zeek strings are byte strings). */
  text(count: number, what: string): string | Uint8Array {
    this.need(count, what);
    const start = this.offset;
    const end = start + count;
    this.offset = end;
    const bytes = this.bytes;
    // Most strings on the wire (names, ids, topics) are ASCII: one scan, then the cheapest native slice.
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((bytes[i] as number) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return native.latin1Slice.call(bytes, start, end);
    const raw = bytes.subarray(start, end);
    // A plain Uint8Array copy, not a view: values must not pin or alias the message they came from.
    return isUtf8(raw) ? native.utf8Slice.call(bytes, start, end) : new Uint8Array(raw);
  }

  /** Throws when bytes are left over after a complete value. */
  end(): void {
    if (this.offset !== this.bytes.length) {
      this.fail("trailing_bytes", `${this.remaining} bytes after the end of the message`);
    }
  }
}
