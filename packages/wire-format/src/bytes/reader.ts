import { isUtf8 } from "node:buffer";
import { DecodeError, type DecodeReason } from "../errors.js";

/**
 * A bounds-checked cursor over one payload. Every read checks the remaining length first, so a truncated or
 * lying input ends in a DecodeError, never in an out-of-range read or a huge allocation.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly format: string;
  offset = 0;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, format: string) {
    this.bytes = bytes;
    this.format = format;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u32(what = "uint32"): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  i32(what = "int32"): number {
    this.need(4, what);
    const value = this.view.getInt32(this.offset);
    this.offset += 4;
    return value;
  }

  u64(what = "uint64"): bigint {
    this.need(8, what);
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return value;
  }

  i64(what = "int64"): bigint {
    this.need(8, what);
    const value = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return value;
  }

  f64(what = "double"): number {
    this.need(8, what);
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
    const raw = this.slice(count, what);
    if (count === 0) return "";
    // A plain Uint8Array copy, even when the input is a Buffer: values must not pin or alias the message.
    if (!isUtf8(raw)) return new Uint8Array(raw);
    return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8");
  }

  /** Throws when bytes are left over after a complete value. */
  end(): void {
    if (this.offset !== this.bytes.length) {
      this.fail("trailing_bytes", `${this.remaining} bytes after the end of the message`);
    }
  }
}
