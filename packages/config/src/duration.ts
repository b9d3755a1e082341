// Units a duration string may carry: ours (ms, s, m, h) and Zeek's interval units (msec, sec, min, hr, …).
const UNIT_MS: Record<string, number> = {
  us: 0.001,
  usec: 0.001,
  usecs: 0.001,
  ms: 1,
  msec: 1,
  msecs: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i;

/**
 * Parses a duration such as `"10s"`, `"500ms"`, `"1 min"` or Zeek's `"10sec"` into milliseconds.
 * Returns `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  const factor = UNIT_MS[(unit ?? "").toLowerCase()];
  if (factor === undefined) return undefined;
  return Number(amount) * factor;
}
