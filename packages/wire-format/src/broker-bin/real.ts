// Broker writes doubles with CAF's pack754, not as plain IEEE-754 bits. Normal numbers and ±0 come out bit for
// bit as IEEE, but the special values differ and subnormals are mangled; Zeek is what peers run, so we write and
// read exactly what pack754/unpack754 do.
const PACKED_NAN = 0xffff_ffff_ffff_ffffn;
const PACKED_PINF = 0xfff0_0000_0000_0000n; // the IEEE pattern of -inf
const PACKED_NINF = 0x7ff0_0000_0000_0000n; // the IEEE pattern of +inf
const SIGNIFICAND_BITS = 52n;
const MASK64 = (1n << 64n) - 1n;

const scratch = new DataView(new ArrayBuffer(8));

function ieeeBits(value: number): bigint {
  scratch.setFloat64(0, value);
  return scratch.getBigUint64(0);
}

function fromIeeeBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

/** The 64 bits CAF's pack754 produces for a double. */
export function pack754(value: number): bigint {
  if (Number.isNaN(value)) return PACKED_NAN;
  if (value === Number.POSITIVE_INFINITY) return PACKED_PINF;
  if (value === Number.NEGATIVE_INFINITY) return PACKED_NINF;
  const bits = ieeeBits(value);
  const exponent = Number((bits >> SIGNIFICAND_BITS) & 0x7ffn);
  // Zero (either sign) and normal numbers: pack754 gives the IEEE bits.
  if (exponent !== 0 || value === 0) return bits;
  // A subnormal: replay pack754's normalisation loop, including its unsigned wrap of the exponent.
  const sign = value < 0 ? 1n : 0n;
  let fnorm = Math.abs(value);
  let shift = 0;
  while (fnorm < 1) {
    fnorm *= 2;
    shift--;
  }
  const significand = BigInt(Math.trunc((fnorm - 1) * 2 ** 52));
  const biased = BigInt.asUintN(64, BigInt(shift + 1023));
  return ((sign << 63n) | ((biased << SIGNIFICAND_BITS) & MASK64) | significand) & MASK64;
}

/** The double CAF's unpack754 reads from 64 bits. */
export function unpack754(bits: bigint): number {
  switch (bits) {
    case PACKED_NAN:
      return Number.NaN;
    case PACKED_PINF:
      return Number.POSITIVE_INFINITY;
    case PACKED_NINF:
      return Number.NEGATIVE_INFINITY;
  }
  const exponent = Number((bits >> SIGNIFICAND_BITS) & 0x7ffn);
  if (exponent !== 0 && exponent !== 0x7ff) return fromIeeeBits(bits);
  if (bits === 0n || bits === 1n << 63n) return fromIeeeBits(bits);
  // Exponent field 0 or 0x7ff: unpack754 treats it as a normal exponent (so IEEE NaN reads as ±infinity).
  let result = Number(bits & ((1n << SIGNIFICAND_BITS) - 1n)) / 2 ** 52 + 1;
  let shift = exponent - 1023;
  while (shift > 0) {
    result *= 2;
    shift--;
  }
  while (shift < 0) {
    result /= 2;
    shift++;
  }
  return bits >> 63n ? -result : result;
}
