/** A growable big-endian byte buffer: encoders append, `finish()` returns the bytes written. */
export class ByteWriter {
  private buffer: Buffer;
  offset = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** Starts over, keeping the memory (a shared writer is reused across encodes). */
  reset(): void {
    this.offset = 0;
  }

  /** Makes room for `count` more bytes. */
  private reserve(count: number): void {
    const needed = this.offset + count;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.offset++] = value;
  }

  u16(value: number): void {
    this.reserve(2);
    this.offset = this.buffer.writeUInt16BE(value, this.offset);
  }

  u32(value: number): void {
    this.reserve(4);
    this.offset = this.buffer.writeUInt32BE(value, this.offset);
  }

  i32(value: number): void {
    this.reserve(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  u64(value: bigint): void {
    this.reserve(8);
    this.offset = this.buffer.writeBigUInt64BE(value, this.offset);
  }

  i64(value: bigint): void {
    this.reserve(8);
    this.offset = this.buffer.writeBigInt64BE(value, this.offset);
  }

  f64(value: number): void {
    this.reserve(8);
    this.offset = this.buffer.writeDoubleBE(value, this.offset);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** Writes a string's UTF-8 bytes (the caller has written its length). */
  utf8(text: string, byteLength: number): void {
    this.reserve(byteLength);
    this.offset += this.buffer.write(text, this.offset, byteLength, "utf8");
  }

  /** The bytes written so far, as a view (no copy); valid until the writer is used again. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.offset);
  }

  /** A copy of the bytes written so far, as a plain Uint8Array the caller owns. */
  finish(): Uint8Array {
    return new Uint8Array(
      this.buffer.buffer.slice(this.buffer.byteOffset, this.buffer.byteOffset + this.offset),
    );
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, or the bytes themselves. */
export function utf8(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/** UTF-8 length of a string without encoding it. */
export function utf8Length(value: string): number {
  return Buffer.byteLength(value, "utf8");
}
