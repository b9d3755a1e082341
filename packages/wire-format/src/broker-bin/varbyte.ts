import type { ByteReader } from "../bytes/reader.js";
import type { ByteWriter } from "../bytes/writer.js";

/** broker's varbyte: 7 bits at a time, least significant first, 0x80 = more bytes follow. */
export function writeVarbyte(writer: ByteWriter, value: number): void {
  // broker truncates to uint32 before encoding; so do we (callers never pass more).
  let rest = value >>> 0;
  while (rest > 0x7f) {
    writer.u8((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  writer.u8(rest);
}

/**
 * Reads a varbyte. Like broker it accepts non-minimal encodings; unlike broker (whose shift past 32 bits is
 * undefined behaviour) it rejects more than 5 bytes and values above 2^32-1.
 */
export function readVarbyte(reader: ByteReader, what: string): number {
  const start = reader.offset;
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = reader.u8(what);
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (value > 0xffff_ffff) reader.fail("bad_length", `${what} ${value} exceeds 2^32-1`, start);
      return value;
    }
  }
  return reader.fail("bad_length", `${what} is longer than 5 bytes`, start);
}
