/**
 * Times in Zeek's JSON logs (`LogAscii::json_timestamps`, zeek/zeek v8.2.2 src/threading/formatters/JSON.cc),
 * apart from `JSON::TS_EPOCH`, which is a plain double.
 */

const INT64_MIN = -(2n ** 63n);
const TWO_63 = 2 ** 63;

/** `static_cast<int64_t>(x)` on x86-64 (cvttsd2si): truncation, and INT64_MIN for NaN or out of range. */
function toInt64(x: number): bigint {
  if (!(x >= -TWO_63 && x < TWO_63)) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

/** `JSON::TS_MILLIS`: `Int64(static_cast<int64_t>(t * 1000))`. */
export function jsonMillis(seconds: number): string {
  return toInt64(seconds * 1000).toString();
}

/** `JSON::TS_MILLIS_UNSIGNED`: the same cast through int64 to uint64, so negative times wrap. */
export function jsonMillisUnsigned(seconds: number): string {
  return BigInt.asUintN(64, toInt64(seconds * 1000)).toString();
}

/** The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** printf's `%.0f`: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const two = (n: number) => String(n).padStart(2, "0");

/** What Zeek writes when gmtime_r fails (it also reports an error). */
const ISO_FALLBACK = "2000-01-01T00:00:00.000000";

/**
 * `JSON::TS_ISO8601`: `strftime("%Y-%m-%dT%H:%M:%S", gmtime(floor(t)))` and `".%06.0fZ"` of the fraction in
 * microseconds. The fraction is rounded half to even, not carried: 0.9999996 s prints `.1000000Z`, as Zeek does.
 * NaN, ±inf and times whose year overflows `struct tm` give Zeek's fallback `2000-01-01T00:00:00.000000`.
 */
export function jsonIso8601(seconds: number): string {
  const whole = Math.floor(seconds);
  if (!(whole >= -TWO_63 && whole < TWO_63)) return ISO_FALLBACK;
  const days = Math.floor(whole / 86400);
  const secondOfDay = whole - days * 86400;
  const { year, month, day } = civilFromDays(days);
  if (year - 1900 > 2147483647 || year - 1900 < -2147483648) return ISO_FALLBACK;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  let fraction = seconds - Math.trunc(seconds); // modf
  if (fraction < 0) fraction += 1;
  const micros = String(roundHalfEven(Math.abs(fraction) * 1000000)).padStart(6, "0");
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(secondOfDay % 60)}.${micros}Z`;
}
