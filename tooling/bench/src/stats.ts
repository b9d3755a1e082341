/** The median (the upper middle value for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The spread of a set of measurements as min–max relative to the median (±%). */
export function spreadPercent(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  const mid = median(finite);
  if (finite.length < 2 || !(mid > 0)) return 0;
  return ((Math.max(...finite) - Math.min(...finite)) / 2 / mid) * 100;
}

/** A number for people: 123 456 → "123 k", 1 234 567 → "1.23 M". */
export function human(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e4) return `${Math.round(value / 1e3)} k`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(value < 10 ? 2 : 0);
}

/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}
