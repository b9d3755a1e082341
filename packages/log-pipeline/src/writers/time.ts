import { ZmqcError } from "@zmqc/config";

/**
 * The time zone of the timestamps in `#open`/`#close` and in rotated file names. Zeek formats them with
 * `localtime_r` (the process's `TZ`); `"local"` does the same here, `"UTC"` or an IANA name (`"Europe/Berlin"`)
 * makes the zone explicit — give Zeek the same `TZ` and both print the same text.
 */
export type TimeZone = "local" | "UTC" | (string & {});

/** A broken-down local time, as `struct tm` holds it (month 1–12). */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (cause) {
      throw new ZmqcError("CONFIG", `time zone '${zone}' is not "local", "UTC" or an IANA zone name`, {
        cause,
      });
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Throws ZmqcError CONFIG when `zone` is not a usable time zone. */
export function checkTimeZone(zone: TimeZone): void {
  if (zone !== "local" && zone !== "UTC") zoneFormatter(zone);
}

/** The wall clock at `epochSeconds` (whole seconds) in `zone`, like `localtime_r`. */
export function wallClock(epochSeconds: number, zone: TimeZone): WallClock {
  const date = new Date(epochSeconds * 1000);
  if (zone === "local") {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
    };
  }
  if (zone === "UTC") {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of zoneFormatter(zone).formatToParts(date)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * `strftime("%Y-%m-%d-%H-%M-%S", localtime(t))`: the format of `#open`, `#close`
 * (`Ascii::Timestamp`, src/logging/writers/ascii/Ascii.cc) and of `Log::default_rotation_date_format`.
 * `epochSeconds` is truncated to whole seconds first, as the `time_t` casts in Zeek do.
 */
export function formatZeekDate(epochSeconds: number, zone: TimeZone): string {
  const t = wallClock(Math.trunc(epochSeconds), zone);
  return `${t.year}-${two(t.month)}-${two(t.day)}-${two(t.hour)}-${two(t.minute)}-${two(t.second)}`;
}
