import { ZmqcError } from "@zmqc/config";
import { checkTimeZone, formatZeekDate, type TimeZone, wallClock } from "./time.js";

/** What a rotation name is made of (Zeek's `Log::RotationFmtInfo`). */
export interface RotationNameInfo {
  /** The log path, e.g. `conn`. */
  readonly path: string;
  /** When the file's period began (epoch milliseconds). */
  readonly open: number;
  /** When it was rotated (epoch milliseconds). */
  readonly close: number;
  /** True when the rotation happens because the writer is closing. */
  readonly terminating: boolean;
}

/** Turns a rotation into a file base name, without the `.log` extension (Zeek's `Log::rotation_format_func`). */
export type RotationNamer = (info: RotationNameInfo) => string;

/**
 * Zeek 8.2.2's default rotation name (`Log::rotation_format_func`, scripts/base/frameworks/logging/main.zeek,
 * with the default ASCII postprocessor): `<path>.<open>` with `Log::default_rotation_date_format`
 * (`%Y-%m-%d-%H-%M-%S`) in local time, e.g. `conn.2026-11-25-10-00-00` (then `.log`). Only the open time.
 */
export function defaultRotationName(zone: TimeZone = "local"): RotationNamer {
  checkTimeZone(zone);
  return ({ path, open }) => `${path}.${formatZeekDate(Math.trunc(open / 1000), zone)}`;
}

/**
 * The supervisor's log-queue name for zeek-archiver (`archiver_rotation_format_func`,
 * scripts/base/frameworks/cluster/nodes/logger.zeek): `<path>__<open>__<close>__`, then
 * `<k>=<v>,…__` when there is metadata (Zeek adds `log_suffix=<node>` when a cluster has several loggers).
 * Entries with an empty value are skipped; keys or values with `,` or `=` are refused (Zeek warns and skips).
 */
export function logQueueRotationName(
  zone: TimeZone = "local",
  metadata: Readonly<Record<string, string>> = {},
): RotationNamer {
  checkTimeZone(zone);
  const entries: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (value.length === 0) continue;
    if (/[,=]/.test(key) || /[,=]/.test(value))
      throw new ZmqcError("CONFIG", `log-queue metadata '${key}=${value}' contains ',' or '='`);
    entries.push(`${key.trim()}=${value.trim()}`);
  }
  const suffix = entries.length > 0 ? `${entries.join(",")}__` : "";
  return ({ path, open, close }) =>
    `${path}__${formatZeekDate(Math.trunc(open / 1000), zone)}__${formatZeekDate(Math.trunc(close / 1000), zone)}__${suffix}`;
}

/**
 * `log_rotate_base_time` as Zeek parses it (`parse_rotate_base_time`, src/util.cc: strptime `%H:%M`): seconds
 * after midnight, or -1 for `""` (no base time). Throws ZmqcError CONFIG for anything else, where Zeek reports
 * an error and falls back to -1.
 */
export function parseRotationBaseTime(text: string): number {
  if (text === "") return -1;
  const match = /^\s*(\d{1,2}):(\d{1,2})/.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (match === null || hour > 23 || minute > 59)
    throw new ZmqcError("CONFIG", `rotation base time '${text}' is not HH:MM (or "" for none)`);
  return hour * 3600 + minute * 60;
}

/** Options of {@link nextRotation}. */
export interface NextRotationOptions {
  /**
   * Zeek's `log_rotate_base_time` (default `"0:00"`): rotations fall on that local time of day plus whole
   * intervals. `""` aligns them to multiples of the interval since the epoch instead.
   */
  readonly baseTime?: string;
  /** The zone of "local" (default `"local"`, like Zeek's localtime_r). */
  readonly timeZone?: TimeZone;
}

/**
 * When the next rotation is due, as Zeek schedules it (`calc_next_rotate`, src/util.cc): with a base time, the
 * first `startofday + base + i·interval` after `now` (`startofday` is local midnight taken with the offset in
 * force at `now`, as mktime does with localtime's tm_isdst); without one, the next multiple of the interval.
 *
 * @param now - epoch milliseconds.
 * @param intervalMs - the rotation interval (Zeek falls back to 24 h for 0; this throws).
 * @returns epoch milliseconds of the next rotation, always after `now`.
 */
export function nextRotation(now: number, intervalMs: number, options: NextRotationOptions = {}): number {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs))
    throw new ZmqcError("CONFIG", `rotation interval ${intervalMs} ms is not a positive number`);
  const zone = options.timeZone ?? "local";
  checkTimeZone(zone);
  const base = parseRotationBaseTime(options.baseTime ?? "0:00");
  const current = now / 1000;
  const interval = intervalMs / 1000;
  let delta: number;
  if (base < 0) delta = Math.floor(current / interval) * interval + interval - current;
  else {
    const whole = Math.trunc(current);
    const t = wallClock(whole, zone);
    const startOfDay = whole - (t.hour * 3600 + t.minute * 60 + t.second);
    delta = startOfDay + base + Math.ceil((current - startOfDay - base) / interval) * interval - current;
    if (!(delta > 0)) delta = interval;
  }
  return (current + delta) * 1000;
}
