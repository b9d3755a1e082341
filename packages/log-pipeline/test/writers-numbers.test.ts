// Numbers and addresses as Zeek's log writers print them. support/number-fixtures.json holds what Zeek's own
// routines print for 2,000+ doubles (compiled from Zeek 8.2.2's and RapidJSON's source by
// support/number-fixtures.cc); the properties check the ports against independent exact arithmetic.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIpv6, formatZeekDouble, formatZeekFixed6, parseIpv6, rapidJsonDouble } from "../src/index.js";

type FixtureRow = [bits: string, tsvDouble: string, tsvTime: string, json: string];
const FIXTURES = JSON.parse(
  readFileSync(new URL("./support/number-fixtures.json", import.meta.url), "utf8"),
) as FixtureRow[];
const fromBits = (hex: string) => Buffer.from(hex, "hex").readDoubleBE(0);

/** The exact decimal value of a finite double, rounded half to even at six decimals (independent of the code). */
function exactFixed6(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)) + (exponent === 0 ? 0n : 1n << 52n);
  const shift = (exponent === 0 ? 1 : exponent) - 1075; // value = mantissa * 2^shift
  // scaled = value * 10^6 as a fraction num/den
  let num = mantissa * 10n ** 6n;
  let den = 1n;
  if (shift >= 0) num <<= BigInt(shift);
  else den <<= BigInt(-shift);
  let q = num / den;
  const r = num % den;
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(7, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

describe("numbers: what Zeek's own routines print (support/number-fixtures.json)", () => {
  it(`holds ${FIXTURES.length} doubles of every magnitude`, () => {
    expect(FIXTURES.length).toBeGreaterThan(2000);
  });

  it("formatZeekDouble = ODesc::Add(d, no_exp) for each", () => {
    const wrong = FIXTURES.filter(([bits, expected]) => formatZeekDouble(fromBits(bits)) !== expected);
    expect(wrong).toEqual([]);
  });

  it("formatZeekFixed6 = Formatter::Render(double) for each", () => {
    const wrong = FIXTURES.filter(([bits, , expected]) => formatZeekFixed6(fromBits(bits)) !== expected);
    expect(wrong).toEqual([]);
  });

  it("rapidJsonDouble = RapidJSON's dtoa (Grisu2) for each finite one", () => {
    const wrong = FIXTURES.filter(([bits, , , expected]) => {
      const d = fromBits(bits);
      return Number.isFinite(d) && rapidJsonDouble(d) !== expected;
    });
    expect(wrong).toEqual([]);
  });

  it("Grisu2 is not JavaScript's shortest form: some fixtures differ from String(d), and still round-trip", () => {
    const differing = FIXTURES.filter(([bits, , , expected]) => {
      const d = fromBits(bits);
      return (
        Number.isFinite(d) && Number(expected) === d && !expected.includes("e") && String(d) !== expected
      );
    });
    // e.g. 1.0 vs "1", and Grisu2's longer digits for some values.
    expect(differing.length).toBeGreaterThan(0);
  });
});

describe("numbers: hand-written cases", () => {
  it("formatZeekFixed6 breaks ties to even, like libstdc++ (toFixed would round away from zero)", () => {
    expect(formatZeekFixed6(0.0078125)).toBe("0.007812");
    expect(formatZeekFixed6(0.0234375)).toBe("0.023438");
    expect(formatZeekFixed6(-0.0078125)).toBe("-0.007812");
    expect((0.0078125).toFixed(6)).toBe("0.007813");
    expect(formatZeekFixed6(2.5)).toBe("2.500000");
  });

  it("formatZeekDouble: the sign first, zeros cut, '.0' near integers", () => {
    expect(formatZeekDouble(1e-7)).toBe("0");
    expect(formatZeekDouble(-1e-7)).toBe("-0");
    expect(formatZeekDouble(0.9999995)).toBe("1"); // 0.99999950000000004…: above the tie
    expect(formatZeekDouble(0.9999994)).toBe("0.999999");
    expect(formatZeekDouble(0.9999996)).toBe("1"); // rounds to 1.000000 but is 4e-7 away from 1
    expect(formatZeekDouble(1e15 + 0.25)).toBe("1000000000000000.25");
    expect(formatZeekDouble(2.4999999999)).toBe("2.5");
  });

  it("rapidJsonDouble: Prettify's forms", () => {
    expect(rapidJsonDouble(0)).toBe("0.0");
    expect(rapidJsonDouble(-0)).toBe("-0.0");
    expect(rapidJsonDouble(1234e7)).toBe("12340000000.0");
    expect(rapidJsonDouble(12.34)).toBe("12.34");
    expect(rapidJsonDouble(0.001234)).toBe("0.001234");
    expect(rapidJsonDouble(1e-6)).toBe("0.000001");
    expect(rapidJsonDouble(1e-7)).toBe("1e-7");
    expect(rapidJsonDouble(1e30)).toBe("1e30");
    expect(rapidJsonDouble(1.234e33)).toBe("1.234e33");
    expect(rapidJsonDouble(-1.5e-300)).toBe("-1.5e-300");
    expect(rapidJsonDouble(1e100)).toBe("1e100");
  });
});

describe("numbers: properties", () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it("rapidJsonDouble round-trips every finite double", () => {
    fc.assert(
      fc.property(finite, (d) => {
        const text = rapidJsonDouble(d);
        return Object.is(Number(text), d);
      }),
      { numRuns: 2000 },
    );
  });

  it("formatZeekFixed6 is the exact value rounded half to even", () => {
    fc.assert(
      fc.property(finite, (d) => formatZeekFixed6(d) === exactFixed6(d)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        (n) => formatZeekFixed6(n / 128) === exactFixed6(n / 128),
      ),
      { numRuns: 1000 },
    );
  });
});

describe("addresses: zeek_inet_ntop6", () => {
  const v6 = (text: string) => formatIpv6(parseIpv6(text) as Uint8Array);

  it("IPv4-compatible, -mapped and -translated addresses end in a dotted quad", () => {
    expect(v6("::102:304")).toBe("::1.2.3.4");
    expect(v6("::ffff:102:304")).toBe("::ffff:1.2.3.4");
    expect(v6("::ffff:0:102:304")).toBe("::ffff:0:1.2.3.4");
    expect(v6("::1")).toBe("::1");
    expect(v6("::2")).toBe("::2"); // the len-7 branch of inet_ntop6 is never reached
    expect(v6("::1:0:0")).toBe("::1:0:0");
    expect(v6("1::102:304")).toBe("1::102:304");
  });

  it("parseIpv6 takes hex groups, one ::, a dotted tail, and refuses the rest", () => {
    expect(parseIpv6("1:2:3:4:5:6:7:8")).toEqual(
      Uint8Array.from([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
    );
    expect(parseIpv6("::1.2.3.4")?.subarray(12)).toEqual(Uint8Array.from([1, 2, 3, 4]));
    for (const bad of ["1::2::3", "1:2:3", "12345::", "::1.2.3", "::256.1.1.1", "1:2:3:4:5:6:7:8:9", "g::"])
      expect(parseIpv6(bad), bad).toBeUndefined();
  });

  it("outside the IPv4 forms it is RFC 5952 text (as WHATWG URL serialises it), and it parses back", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 8 }),
        (raw, zeros) => {
          const bytes = Uint8Array.from(raw);
          bytes.fill(0, 0, zeros * 2); // runs of zero words are what matters
          const text = formatIpv6(bytes);
          expect(parseIpv6(text)).toEqual(bytes);
          if (!text.includes(".")) expect(text).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
        },
      ),
      { numRuns: 500 },
    );
  });
});
