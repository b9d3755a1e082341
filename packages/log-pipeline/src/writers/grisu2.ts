/**
 * RapidJSON's `internal::dtoa` (zeek/rapidjson at the commit Zeek v8.2.2 pins, include/rapidjson/internal/
 * dtoa.h and diyfp.h), which Zeek's JSON formatter uses for every double, time and interval. It is Grisu2:
 * its digits are not always the shortest, or the closest, that round-trip, so JavaScript's own `String(d)`
 * differs for some values; this is a line-by-line port in 64-bit BigInt arithmetic.
 */

const M64 = (1n << 64n) - 1n;
const HIDDEN_BIT = 1n << 52n;
const SIGNIFICAND_MASK = HIDDEN_BIT - 1n;
const EXPONENT_BIAS = 0x3ff + 52;
const MIN_EXPONENT = -EXPONENT_BIAS;

/** RapidJSON's DiyFp: an unsigned 64-bit significand and a binary exponent. */
interface DiyFp {
  readonly f: bigint;
  readonly e: number;
}

// 10^-348, 10^-340, …, 10^340 (kCachedPowers_F and kCachedPowers_E of diyfp.h).
const CACHED_F = [
  0xfa8fd5a0081c0288n,
  0xbaaee17fa23ebf76n,
  0x8b16fb203055ac76n,
  0xcf42894a5dce35ean,
  0x9a6bb0aa55653b2dn,
  0xe61acf033d1a45dfn,
  0xab70fe17c79ac6can,
  0xff77b1fcbebcdc4fn,
  0xbe5691ef416bd60cn,
  0x8dd01fad907ffc3cn,
  0xd3515c2831559a83n,
  0x9d71ac8fada6c9b5n,
  0xea9c227723ee8bcbn,
  0xaecc49914078536dn,
  0x823c12795db6ce57n,
  0xc21094364dfb5637n,
  0x9096ea6f3848984fn,
  0xd77485cb25823ac7n,
  0xa086cfcd97bf97f4n,
  0xef340a98172aace5n,
  0xb23867fb2a35b28en,
  0x84c8d4dfd2c63f3bn,
  0xc5dd44271ad3cdban,
  0x936b9fcebb25c996n,
  0xdbac6c247d62a584n,
  0xa3ab66580d5fdaf6n,
  0xf3e2f893dec3f126n,
  0xb5b5ada8aaff80b8n,
  0x87625f056c7c4a8bn,
  0xc9bcff6034c13053n,
  0x964e858c91ba2655n,
  0xdff9772470297ebdn,
  0xa6dfbd9fb8e5b88fn,
  0xf8a95fcf88747d94n,
  0xb94470938fa89bcfn,
  0x8a08f0f8bf0f156bn,
  0xcdb02555653131b6n,
  0x993fe2c6d07b7facn,
  0xe45c10c42a2b3b06n,
  0xaa242499697392d3n,
  0xfd87b5f28300ca0en,
  0xbce5086492111aebn,
  0x8cbccc096f5088ccn,
  0xd1b71758e219652cn,
  0x9c40000000000000n,
  0xe8d4a51000000000n,
  0xad78ebc5ac620000n,
  0x813f3978f8940984n,
  0xc097ce7bc90715b3n,
  0x8f7e32ce7bea5c70n,
  0xd5d238a4abe98068n,
  0x9f4f2726179a2245n,
  0xed63a231d4c4fb27n,
  0xb0de65388cc8ada8n,
  0x83c7088e1aab65dbn,
  0xc45d1df942711d9an,
  0x924d692ca61be758n,
  0xda01ee641a708dean,
  0xa26da3999aef774an,
  0xf209787bb47d6b85n,
  0xb454e4a179dd1877n,
  0x865b86925b9bc5c2n,
  0xc83553c5c8965d3dn,
  0x952ab45cfa97a0b3n,
  0xde469fbd99a05fe3n,
  0xa59bc234db398c25n,
  0xf6c69a72a3989f5cn,
  0xb7dcbf5354e9becen,
  0x88fcf317f22241e2n,
  0xcc20ce9bd35c78a5n,
  0x98165af37b2153dfn,
  0xe2a0b5dc971f303an,
  0xa8d9d1535ce3b396n,
  0xfb9b7cd9a4a7443cn,
  0xbb764c4ca7a44410n,
  0x8bab8eefb6409c1an,
  0xd01fef10a657842cn,
  0x9b10a4e5e9913129n,
  0xe7109bfba19c0c9dn,
  0xac2820d9623bf429n,
  0x80444b5e7aa7cf85n,
  0xbf21e44003acdd2dn,
  0x8e679c2f5e44ff8fn,
  0xd433179d9c8cb841n,
  0x9e19db92b4e31ba9n,
  0xeb96bf6ebadf77d9n,
  0xaf87023b9bf0ee6bn,
];
const CACHED_E = [
  -1220, -1193, -1166, -1140, -1113, -1087, -1060, -1034, -1007, -980, -954, -927, -901, -874, -847, -821,
  -794, -768, -741, -715, -688, -661, -635, -608, -582, -555, -529, -502, -475, -449, -422, -396, -369, -343,
  -316, -289, -263, -236, -210, -183, -157, -130, -103, -77, -50, -24, 3, 30, 56, 83, 109, 136, 162, 189, 216,
  242, 269, 295, 322, 348, 375, 402, 428, 455, 481, 508, 534, 561, 588, 614, 641, 667, 694, 720, 747, 774,
  800, 827, 853, 880, 907, 933, 960, 986, 1013, 1039, 1066,
];
const POW10 = Array.from({ length: 20 }, (_, i) => 10n ** BigInt(i));
const POW10_32 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

const BITS = new DataView(new ArrayBuffer(8));

function fromDouble(value: number): DiyFp {
  BITS.setFloat64(0, value);
  const bits = BITS.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const significand = bits & SIGNIFICAND_MASK;
  return biased !== 0
    ? { f: significand + HIDDEN_BIT, e: biased - EXPONENT_BIAS }
    : { f: significand, e: MIN_EXPONENT + 1 };
}

/** The high 64 bits of the 128-bit product, rounded on bit 63 of the low half. */
function multiply(a: DiyFp, b: DiyFp): DiyFp {
  const product = a.f * b.f;
  let high = product >> 64n;
  if ((product & (1n << 63n)) !== 0n) high++;
  return { f: high & M64, e: a.e + b.e + 64 };
}

function normalize(v: DiyFp): DiyFp {
  let shift = 0;
  while (((v.f << BigInt(shift)) & (1n << 63n)) === 0n) shift++;
  return { f: (v.f << BigInt(shift)) & M64, e: v.e - shift };
}

function normalizeBoundary(v: DiyFp): DiyFp {
  let { f, e } = v;
  while ((f & (HIDDEN_BIT << 1n)) === 0n) {
    f <<= 1n;
    e--;
  }
  return { f: (f << 10n) & M64, e: e - 10 }; // kDiySignificandSize - kDpSignificandSize - 2
}

function cachedPower(e: number): { power: DiyFp; k: number } {
  const dk = (-61 - e) * 0.30102999566398114 + 347;
  let k = Math.trunc(dk);
  if (dk - k > 0) k++;
  const index = (k >> 3) + 1;
  return { power: { f: CACHED_F[index] as bigint, e: CACHED_E[index] as number }, k: -(-348 + index * 8) };
}

function grisuRound(digits: number[], delta: bigint, rest: bigint, tenKappa: bigint, wpW: bigint): void {
  let r = rest;
  while (
    r < wpW &&
    delta - r >= tenKappa &&
    (((r + tenKappa) & M64) < wpW || wpW - r > ((r + tenKappa - wpW) & M64))
  ) {
    digits[digits.length - 1] = (digits[digits.length - 1] as number) - 1;
    r = (r + tenKappa) & M64;
  }
}

function countDecimalDigits(n: number): number {
  for (let digits = 1; digits < 9; digits++) if (n < (POW10_32[digits] as number)) return digits;
  return 9;
}

/** Grisu2's digits of a positive finite double and its decimal exponent K (value ≈ digits × 10^K). */
function grisu2(value: number): { digits: number[]; k: number } {
  const v = fromDouble(value);
  const plus = normalizeBoundary({ f: (v.f << 1n) + 1n, e: v.e - 1 });
  let minus = v.f === HIDDEN_BIT ? { f: (v.f << 2n) - 1n, e: v.e - 2 } : { f: (v.f << 1n) - 1n, e: v.e - 1 };
  minus = { f: (minus.f << BigInt(minus.e - plus.e)) & M64, e: plus.e };

  const { power, k: cachedK } = cachedPower(plus.e);
  const w = multiply(normalize(v), power);
  const wPlus = multiply(plus, power);
  const wMinus = multiply(minus, power);
  const mp: DiyFp = { f: (wPlus.f - 1n) & M64, e: wPlus.e };
  const delta0 = (mp.f - ((wMinus.f + 1n) & M64)) & M64;

  // DigitGen.
  const shift = BigInt(-mp.e);
  const one = 1n << shift;
  const wpW = (mp.f - w.f) & M64;
  let p1 = Number(mp.f >> shift);
  let p2 = mp.f & (one - 1n);
  let kappa = countDecimalDigits(p1);
  let k = cachedK;
  let delta = delta0;
  const digits: number[] = [];
  while (kappa > 0) {
    const divisor = POW10_32[kappa - 1] as number;
    const d = Math.floor(p1 / divisor);
    p1 %= divisor;
    if (d !== 0 || digits.length > 0) digits.push(d);
    kappa--;
    const tmp = (BigInt(p1) << shift) + p2;
    if (tmp <= delta) {
      k += kappa;
      grisuRound(digits, delta, tmp, ((POW10[kappa] as bigint) << shift) & M64, wpW);
      return { digits, k };
    }
  }
  for (;;) {
    p2 = (p2 * 10n) & M64;
    delta = (delta * 10n) & M64;
    const d = Number(p2 >> shift);
    if (d !== 0 || digits.length > 0) digits.push(d);
    p2 &= one - 1n;
    kappa--;
    if (p2 < delta) {
      k += kappa;
      const index = -kappa;
      grisuRound(digits, delta, p2, one, (wpW * (index < 20 ? (POW10[index] as bigint) : 0n)) & M64);
      return { digits, k };
    }
  }
}

function exponent(k: number): string {
  return k < 0 ? `-${-k}` : String(k);
}

/** RapidJSON's Prettify with maxDecimalPlaces 324 (its default, which Zeek keeps). */
function prettify(digits: string, k: number): string {
  const length = digits.length;
  const kk = length + k; // 10^(kk-1) <= v < 10^kk
  if (k >= 0 && kk <= 21) return `${digits}${"0".repeat(k)}.0`;
  if (kk > 0 && kk <= 21) return `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -6 && kk <= 0) return `0.${"0".repeat(-kk)}${digits}`;
  if (kk < -324) return "0.0";
  if (length === 1) return `${digits}e${exponent(kk - 1)}`;
  return `${digits[0]}.${digits.slice(1)}e${exponent(kk - 1)}`;
}

/**
 * A finite double as RapidJSON's `Writer::Double` writes it: `0.0`, `-0.0`, `0.1`, `1.0`, `1e21`, `1e-7`,
 * `1.5e-7`, `100000000000000000000.0`, `123456789.12345679`. NaN and ±inf are the caller's business (Zeek's
 * NullDoubleWriter writes `null`).
 */
export function rapidJsonDouble(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const negative = value < 0;
  const { digits, k } = grisu2(negative ? -value : value);
  const text = prettify(digits.join(""), k);
  return negative ? `-${text}` : text;
}
