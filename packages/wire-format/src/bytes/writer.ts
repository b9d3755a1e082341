// Buffer's native writers, called on the writer's plain Uint8Array (no Buffer per writer, and `slice` copies into
// a plain array). They check value and offset as `buf.writeUInt16BE(…)` does, so an out-of-range value throws
// the same RangeError as before.
const native = Buffer.prototype as unknown as {
  writeUInt16BE(this: Uint8Array, value: number, offset: number): number;
  writeUInt32BE(this: Uint8Array, value: number, offset: number): number;
  writeInt32BE(this: Uint8Array, value: number, offset: number): number;
  writeBigUInt64BE(this: Uint8Array, value: bigint, offset: number): number;
  writeBigInt64BE(this: Uint8Array, value: bigint, offset: number): number;
  writeDoubleBE(this: Uint8Array, value: number, offset: number): number;
  /** `buf.write(text, offset, length, "utf8")` without its argument checks (offset and room are the caller's). */
  utf8Write(this: Uint8Array, text: string, offset: number, length: number): number;
};

/** ASCII strings up to this many characters are copied by a loop: below it, the native writer's call costs more. */
const SHORT_TEXT = 48;
/** Byte arrays up to this length are copied by a loop: below it, `set` costs more. */
const SHORT_BYTES = 12;

const TWO_32 = 0x1_0000_0000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** A growable big-endian byte buffer: encoders append, `finish()` returns the bytes written. */
export class ByteWriter {
  private buffer: Uint8Array;
  offset = 0;

  constructor(initialSize = 256) {
    this.buffer = new Uint8Array(initialSize);
  }

  /** Starts over, keeping the memory (a shared writer is reused across encodes). */
  reset(): void {
    this.offset = 0;
  }

  /** Makes room for `count` more bytes. */
  private reserve(count: number): void {
    if (this.offset + count > this.buffer.length) this.grow(count);
  }

  private grow(count: number): void {
    const needed = this.offset + count;
    let size = Math.max(this.buffer.length * 2, 64);
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.offset));
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.offset++] = value;
  }

  u16(value: number): void {
    this.reserve(2);
    this.offset = native.writeUInt16BE.call(this.buffer, value, this.offset);
  }

  u32(value: number): void {
    this.reserve(4);
    this.offset = native.writeUInt32BE.call(this.buffer, value, this.offset);
  }

  i32(value: number): void {
    this.reserve(4);
    this.offset = native.writeInt32BE.call(this.buffer, value, this.offset);
  }

  u64(value: bigint): void {
    this.reserve(8);
    // Most values fit a double exactly: written as two words, without writeBigUInt64BE's BigInt shifts and masks.
    // The rest, and anything out of range (which throws as before), take Buffer's writer.
    if (value >= 0n && value <= MAX_SAFE) {
      const number = Number(value);
      this.words(Math.floor(number / TWO_32), number >>> 0);
    } else this.offset = native.writeBigUInt64BE.call(this.buffer, value, this.offset);
  }

  i64(value: bigint): void {
    this.reserve(8);
    if (value >= MIN_SAFE && value <= MAX_SAFE) {
      const number = Number(value);
      // The high word of a negative value is negative: its low 32 bits are the two's complement ones.
      this.words(Math.floor(number / TWO_32), number >>> 0);
    } else this.offset = native.writeBigInt64BE.call(this.buffer, value, this.offset);
  }

  /** Two big-endian 32-bit words, each taken modulo 2^32 (room reserved). */
  private words(high: number, low: number): void {
    const buffer = this.buffer;
    const at = this.offset;
    buffer[at] = high >>> 24;
    buffer[at + 1] = high >>> 16;
    buffer[at + 2] = high >>> 8;
    buffer[at + 3] = high;
    buffer[at + 4] = low >>> 24;
    buffer[at + 5] = low >>> 16;
    buffer[at + 6] = low >>> 8;
    buffer[at + 7] = low;
    this.offset = at + 8;
  }

  f64(value: number): void {
    this.reserve(8);
    this.offset = native.writeDoubleBE.call(this.buffer, value, this.offset);
  }

  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    this.reserve(length);
    const buffer = this.buffer;
    const at = this.offset;
    if (length <= SHORT_BYTES) for (let i = 0; i < length; i++) buffer[at + i] = bytes[i] as number;
    else buffer.set(bytes, at);
    this.offset = at + length;
  }

  /**
   * Writes a string's UTF-8 bytes (the caller has written its length): at most `byteLength` bytes, whole
   * characters only, lone surrogates as U+FFFD — what `Buffer#write(text, offset, byteLength, "utf8")` writes.
   */
  utf8(text: string, byteLength: number): void {
    this.reserve(byteLength);
    const buffer = this.buffer;
    const at = this.offset;
    // Short ASCII text (names, most arguments) by hand: one byte per character, so `byteLength` cuts it exactly.
    const length = Math.min(text.length, byteLength);
    if (length <= SHORT_TEXT) {
      let i = 0;
      for (; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0x7f) break;
        buffer[at + i] = code;
      }
      if (i === length) {
        this.offset = at + length;
        return;
      }
    }
    this.offset = at + native.utf8Write.call(buffer, text, at, byteLength);
  }

  /** The bytes written so far, as a view (no copy); valid until the writer is used again. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.offset);
  }

  /** A copy of the bytes written so far, as a plain, compact Uint8Array the caller owns. */
  finish(): Uint8Array {
    // TypedArray#slice: one new array and one copy (the ArrayBuffer slice it replaces cost several times more).
    return this.buffer.slice(0, this.offset);
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, or the bytes themselves. */
export function utf8(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/** UTF-8 length of a string without encoding it (lone surrogates count 3 bytes, as U+FFFD). */
export function utf8Length(value: string): number {
  // A fast native call, cheaper than a loop in JavaScript from about 8 characters on.
  return Buffer.byteLength(value, "utf8");
}
