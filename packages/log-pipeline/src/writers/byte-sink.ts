/**
 * A growable output buffer that a whole batch is formatted into, then handed to the OS in one `write`. The
 * file writer keeps one and reuses it for every batch: formatting allocates nothing per record.
 */
export class ByteSink {
  /** The bytes; only `[0, length)` are written. */
  buffer: Buffer;
  length = 0;

  constructor(initialBytes = 1 << 16) {
    this.initialBytes = initialBytes;
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  private readonly initialBytes: number;

  /** Forgets what was written and lets a grown buffer go. */
  shrink(): void {
    this.length = 0;
    this.buffer = Buffer.allocUnsafe(this.initialBytes);
  }

  /** Forgets what was written (keeps the memory). */
  reset(): void {
    this.length = 0;
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** Appends bytes (room must be reserved). */
  bytes(source: Uint8Array, start: number, end: number): void {
    const count = end - start;
    // A short copy in JavaScript beats the native call's overhead.
    if (count <= 16) {
      const buffer = this.buffer;
      let at = this.length;
      for (let i = start; i < end; i++) buffer[at++] = source[i] as number;
      this.length = at;
    } else {
      this.buffer.set(source.subarray(start, end), this.length);
      this.length += count;
    }
  }

  /** Appends text as UTF-8 (reserves its room). */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  /** The written bytes (a view, valid until the next write to the sink). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
