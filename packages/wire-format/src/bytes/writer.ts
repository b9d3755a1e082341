/** A growable big-endian byte buffer: encoders append, `finish()` returns the bytes written. */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  offset = 0;

  constructor(initialSize = 256) {
    this.buffer = new Uint8Array(initialSize);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Makes room for `count` more bytes. */
  private reserve(count: number): void {
    const needed = this.offset + count;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.offset));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.offset++] = value;
  }

  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.offset, value);
    this.offset += 2;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.offset, value);
    this.offset += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.offset, value);
    this.offset += 4;
  }

  u64(value: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.offset, value);
    this.offset += 8;
  }

  i64(value: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.offset, value);
    this.offset += 8;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.offset, value);
    this.offset += 8;
  }

  /** Writes 8 raw bytes given as a bit pattern (for Zeek's pack754 quirks). */
  bits64(high: number, low: number): void {
    this.reserve(8);
    this.view.setUint32(this.offset, high);
    this.view.setUint32(this.offset + 4, low);
    this.offset += 8;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** The bytes written so far, as a view (no copy). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.offset);
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, or the bytes themselves. */
export function utf8(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}
