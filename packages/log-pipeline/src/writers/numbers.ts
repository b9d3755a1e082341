/**
 * Numbers as Zeek's ASCII writer prints them (zeek/zeek v8.2.2):
 * - time and interval: `Formatter::Render(double)` (src/threading/Formatter.cc), `std::to_chars(d, fixed, 6)`:
 *   always six decimals, `-0.000000` for -0, `nan`/`-nan`, `inf`/`-inf`;
 * - double: `ODesc::Add(d, no_exp=true)` (src/Desc.cc) over `util::double_to_str(d, 6, no_exp)` (src/util.cc):
 *   six decimals with trailing zeros cut, then `.0` when `d` is within 1e-9 of an integer.
 *
 * Both round the exact binary value half to even (libstdc++'s Ryu-based to_chars), which `toFixed` does not:
 * it breaks ties away from zero. Ties happen only for multiples of 2^-7 (0.0078125 → 0.007812), handled here.
 */

const NAN_PROBE = new DataView(new ArrayBuffer(8));

/** The sign bit of a NaN as V8 keeps it (Zeek computes `-nan` for inf - inf on x86-64, and prints the sign). */
function nanIsNegative(value: number): boolean {
  NAN_PROBE.setFloat64(0, value);
  return (NAN_PROBE.getUint8(0) & 0x80) !== 0;
}

/** `|value|` (finite, not negative) with exactly six decimals, rounded half to even like libstdc++. */
function fixed6Magnitude(value: number): string {
  // Beyond 1e21 toFixed switches to exponent form; every such double is an integer anyway.
  if (value >= 1e21) return `${BigInt(value)}.000000`;
  const scaled = value * 128; // exact: a power of two
  if (Number.isInteger(scaled) && scaled % 2 === 1) {
    // Exactly seven decimals ending in 5: a tie at the sixth, which libstdc++ rounds to even.
    const seven = BigInt(value.toFixed(7).replace(".", ""));
    let six = seven / 10n;
    if (six % 2n === 1n) six += 1n;
    const digits = six.toString().padStart(7, "0");
    return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  }
  return value.toFixed(6);
}

/**
 * A time or interval as Zeek's TSV writer prints it: `std::to_chars(d, std::chars_format::fixed, 6)`.
 *
 * Zeek renders into a 256-byte buffer and prints the whole buffer (stack garbage) when the number does not fit,
 * i.e. for |d| ≥ 1e249 or so; this prints the number instead.
 */
export function formatZeekFixed6(value: number): string {
  if (Number.isNaN(value)) return nanIsNegative(value) ? "-nan" : "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  const negative = value < 0 || Object.is(value, -0);
  return negative ? `-${fixed6Magnitude(-value)}` : fixed6Magnitude(value);
}

/** C's nearbyint in the default rounding mode: to the nearest integer, ties to even. */
function nearbyint(value: number): number {
  const rounded = Math.round(value); // ties towards +inf
  return Math.abs(value % 1) === 0.5 ? 2 * Math.round(value / 2) : rounded;
}

/**
 * A double as Zeek's TSV writer prints it: `util::double_to_str(d, 6, no_exp=true)` then ODesc's ".0" rule.
 *
 * - NaN is `nan`, whatever its sign; ±inf is `inf`/`-inf`.
 * - Negative numbers print `-` and their magnitude, so -1e-7 is `-0`; -0.0 is `0.0`.
 * - Six decimals, rounded half to even, trailing zeros and a bare `.` cut (0.1 → `0.1`, 1e-7 → `0`).
 * - `.0` is appended when |d - nearbyint(d)| < 1e-9 (2.0 → `2.0`, 5e-10 → `0.0`, 1e20 → `100000000000000000000.0`).
 */
export function formatZeekDouble(value: number): string {
  if (Number.isNaN(value)) return "nan";
  let text: string;
  if (value === Number.POSITIVE_INFINITY) text = "inf";
  else if (value === Number.NEGATIVE_INFINITY) text = "-inf";
  else {
    const magnitude = fixed6Magnitude(Math.abs(value));
    // double_to_str cuts trailing zeros, then the point if nothing is left after it.
    let end = magnitude.length;
    while (magnitude.charCodeAt(end - 1) === 0x30) end--;
    if (magnitude.charCodeAt(end - 1) === 0x2e) end--;
    text = (value < 0 ? "-" : "") + magnitude.slice(0, end);
  }
  if (Number.isFinite(value) && Math.abs(value - nearbyint(value)) < 1e-9) text += ".0";
  return text;
}
