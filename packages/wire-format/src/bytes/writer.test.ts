import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter, utf8, utf8Length } from "./writer.js";

/** The writer as it was before the fast paths (Buffer methods, `Buffer#write`, an ArrayBuffer slice): the reference. */
class ReferenceWriter {
  private buffer: Buffer;
  offset = 0;

  constructor(initialSize: number) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.offset = 0;
  }

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
  utf8(text: string, byteLength: number): void {
    this.reserve(byteLength);
    this.offset += this.buffer.write(text, this.offset, byteLength, "utf8");
  }
  view(): Uint8Array {
    return this.buffer.subarray(0, this.offset);
  }
  finish(): Uint8Array {
    return new Uint8Array(
      this.buffer.buffer.slice(this.buffer.byteOffset, this.buffer.byteOffset + this.offset),
    );
  }
}

/** UTF-16 units weighted towards the edges: ASCII's end, 2- and 3-byte boundaries, surrogates of both halves. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      0x7f,
      0x80,
      0xe9,
      0x7ff,
      0x800,
      0xfffd,
      0xffff,
      0xd800,
      0xdbff,
      0xdc00,
      0xdfff,
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
);
const units = (maxLength: number) =>
  fc.array(unit, { maxLength }).map((codes) => String.fromCharCode(...codes));

/** Strings of every kind: empty, ASCII, any text, lone surrogates, and long ones past the short-string paths. */
const text = fc.oneof(
  fc.constant(""),
  fc.string({ unit: "binary-ascii", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  units(80),
  fc
    .tuple(fc.string({ unit: "binary-ascii", minLength: 60, maxLength: 300 }), units(4))
    .map(([a, b]) => a + b),
  fc.string({ unit: "grapheme", minLength: 60, maxLength: 200 }),
);

type Op =
  | { op: "u8"; value: number }
  | { op: "u16"; value: number }
  | { op: "u32"; value: number }
  | { op: "i32"; value: number }
  | { op: "u64"; value: bigint }
  | { op: "i64"; value: bigint }
  | { op: "f64"; value: number }
  | { op: "bytes"; value: Uint8Array }
  | { op: "utf8"; value: string; cut: number }
  | { op: "reset" };

const ops: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).map((value) => ({ op: "u8" as const, value })),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ op: "u16" as const, value })),
  fc.integer({ min: 0, max: 0xffff_ffff }).map((value) => ({ op: "u32" as const, value })),
  fc.integer().map((value) => ({ op: "i32" as const, value })),
  fc
    .oneof(
      fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
      fc.bigInt({ min: 0n, max: 1n << 54n }),
      fc.constantFrom(
        0n,
        0xffff_ffffn,
        1n << 32n,
        (1n << 53n) - 1n,
        1n << 53n,
        (1n << 53n) + 1n,
        (1n << 64n) - 1n,
      ),
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    )
    .map((value) => ({ op: "u64" as const, value })),
  fc
    .oneof(
      fc.bigInt({ min: -0x1_0000_0000n, max: 0x1_0000_0000n }),
      fc.bigInt({ min: -(1n << 54n), max: 1n << 54n }),
      fc.constantFrom(
        -1n,
        -(1n << 32n),
        1n - (1n << 53n),
        -(1n << 53n),
        -(1n << 53n) - 1n,
        (1n << 53n) + 1n,
        -(1n << 63n),
      ),
      fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    )
    .map((value) => ({ op: "i64" as const, value })),
  fc.double().map((value) => ({ op: "f64" as const, value })),
  fc.uint8Array({ maxLength: 40 }).map((value) => ({ op: "bytes" as const, value })),
  // `cut` > 0 writes fewer bytes than the text's UTF-8 length, as Buffer#write cuts it (whole characters only).
  {
    arbitrary: fc
      .tuple(text, fc.nat({ max: 5 }))
      .map(([value, cut]) => ({ op: "utf8" as const, value, cut })),
    weight: 4,
  },
  fc.constant({ op: "reset" as const }),
);

function apply(writer: ByteWriter | ReferenceWriter, op: Op): void {
  switch (op.op) {
    case "reset":
      writer.reset();
      return;
    case "utf8": {
      const length = Buffer.byteLength(op.value, "utf8");
      writer.utf8(op.value, Math.max(0, length - op.cut));
      return;
    }
    case "u64":
    case "i64":
      writer[op.op](op.value);
      return;
    case "bytes":
      writer.bytes(op.value);
      return;
    default:
      writer[op.op](op.value);
  }
}

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

describe("ByteWriter", () => {
  it("writes exactly the bytes the previous writer wrote, for any sequence of writes, growth and resets", () => {
    fc.assert(
      fc.property(
        fc.array(ops, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        fc.nat({ max: 3 }),
        (list, initialSize, finishes) => {
          const writer = new ByteWriter(initialSize);
          const reference = new ReferenceWriter(initialSize);
          for (let i = 0; i < list.length; i++) {
            const op = list[i] as Op;
            apply(writer, op);
            apply(reference, op);
            expect(writer.offset).toBe(reference.offset);
            // finish() now and then mid-way: the writer goes on writing after it.
            if (i % 4 === finishes) expect(hex(writer.finish())).toBe(hex(reference.finish()));
          }
          expect(hex(writer.view())).toBe(hex(reference.view()));
          expect(hex(writer.finish())).toBe(hex(reference.finish()));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("writes any string's UTF-8 as Buffer does, lone surrogates as U+FFFD", () => {
    fc.assert(
      fc.property(text, fc.nat({ max: 3 }), (value, pad) => {
        const length = utf8Length(value);
        const writer = new ByteWriter(8);
        for (let i = 0; i < pad; i++) writer.u8(0xaa);
        writer.utf8(value, length);
        expect(writer.offset).toBe(pad + length);
        expect(hex(writer.finish().subarray(pad))).toBe(Buffer.from(value, "utf8").toString("hex"));
      }),
      { numRuns: 2000 },
    );
  });

  it("counts any string's UTF-8 bytes as Buffer.byteLength does", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(utf8Length(value)).toBe(Buffer.byteLength(value, "utf8"));
        expect(utf8(value).length).toBe(utf8Length(value));
      }),
      { numRuns: 2000 },
    );
    for (const value of [
      "",
      "\ud800",
      "\udc00",
      "\ud800\udc00",
      "\udc00\ud800",
      "a\ud83d",
      "\ud83d\ude00x",
      "é",
      "\u0800",
    ])
      expect(utf8Length(value)).toBe(Buffer.byteLength(value, "utf8"));
  });

  it("hands out plain, compact copies that later writes do not change", () => {
    const writer = new ByteWriter(4);
    writer.u32(0x01020304);
    writer.utf8("hello", 5);
    const first = writer.finish();
    expect(first.constructor).toBe(Uint8Array);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(9);
    writer.reset();
    writer.u64(0xffff_ffff_ffffn);
    expect(hex(first)).toBe("0102030468656c6c6f");
    expect(hex(writer.finish())).toBe("0000ffffffffffff");
  });

  it("refuses out-of-range numbers as Buffer's writers do", () => {
    for (const write of [
      (w: ByteWriter | ReferenceWriter) => w.u16(0x1_0000),
      (w: ByteWriter | ReferenceWriter) => w.u32(-1),
      (w: ByteWriter | ReferenceWriter) => w.i32(0x8000_0000),
      (w: ByteWriter | ReferenceWriter) => w.u64(-1n),
      (w: ByteWriter | ReferenceWriter) => w.u64(1n << 64n),
      (w: ByteWriter | ReferenceWriter) => w.i64(1n << 63n),
      (w: ByteWriter | ReferenceWriter) => w.i64(-(1n << 63n) - 1n),
    ]) {
      const error = (() => {
        try {
          write(new ReferenceWriter(16));
        } catch (caught) {
          return caught as Error;
        }
        throw new Error("the reference writer took it");
      })();
      expect(() => write(new ByteWriter(16))).toThrow(error.constructor as new () => Error);
      expect(() => write(new ByteWriter(16))).toThrow(error.message);
    }
  });
});
