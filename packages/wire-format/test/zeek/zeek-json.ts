// What a Zeek 8.2.2 logger writes for a record with LogAscii::use_json=T (zeek/zeek v8.2.2
// src/threading/formatters/JSON.cc and util::escape_utf8 in src/util.cc), so the test can compare every line
// of its log file with the record we sent.
import { isUtf8 } from "node:buffer";
import type { LogField, LogValue } from "@zmqc/wire-format";
import ipaddr from "ipaddr.js";

/** A JSON value as JSON.parse returns it; integers beyond 2^53 are kept as their digits (a string). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Parses one line of a JSON log. Zeek writes int and count as bare JSON integers, which JSON.parse would round
 * beyond 2^53, so integer tokens that are not safe integers are turned into strings of their digits first.
 */
export function parseZeekJsonLine(line: string): { [key: string]: Json } {
  const quoted = line.replace(/("(?:[^"\\]|\\.)*")|(?<=[:,[])(-?\d+)(?=[,\]}])/g, (match, text, integer) =>
    text !== undefined || Number.isSafeInteger(Number(integer)) ? match : `"${integer}"`,
  );
  return JSON.parse(quoted) as { [key: string]: Json };
}

// Kept as they are even in an escaped string: printable ASCII and \b \t \n \f \r.
const keptByte = (byte: number) => (byte >= 0x20 && byte < 0x7f) || [8, 9, 10, 12, 13].includes(byte);

/** A code point escape_utf8 refuses: controls (C0 but \b\t\n\f\r, DEL, C1), private use, U+FFF0…U+FFFF. */
function refused(codePoint: number): boolean {
  if (codePoint < 0x80) return !keptByte(codePoint);
  return (
    codePoint <= 0x9f ||
    (codePoint >= 0xe000 && codePoint <= 0xf8ff) ||
    (codePoint >= 0xfff0 && codePoint <= 0xffff)
  );
}

/**
 * A string as escape_utf8(…, ESCAPE_UNPRINTABLE_CONTROLS) renders it: as is when it is valid UTF-8 without a
 * refused code point; otherwise the whole string byte by byte, every byte but printable ASCII and \b\t\n\f\r as
 * `\xNN` (including the bytes of valid multi-byte characters).
 */
export function zeekJsonString(value: string | Uint8Array): string {
  const bytes = Buffer.from(typeof value === "string" ? Buffer.from(value, "utf8") : value);
  const text = bytes.toString("utf8");
  if (isUtf8(bytes) && ![...text].some((char) => refused(char.codePointAt(0) as number))) return text;
  return Array.from(bytes, (byte) =>
    keptByte(byte) ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`,
  ).join("");
}

/**
 * An address as the log writers print it (threading::Formatter::Render): the wire's family decides, so family 4
 * is a dotted quad and family 6 is inet_ntop(AF_INET6) text, which glibc writes like RFC 5952 except that it
 * ends IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, a.b not 0.0) addresses in a dotted quad.
 * zmqc's decoder and LogValues.addr give IPv6 text in RFC 5952 form with hex words only (::ffff:a01:203).
 */
function zeekAddress(text: string): string {
  if (!text.includes(":")) return text;
  const words = (ipaddr.parse(text) as ipaddr.IPv6).parts;
  const head = (n: number) => words.slice(0, n).every((word) => word === 0);
  const [high = 0, low = 0] = words.slice(6);
  const dotted = () => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (head(5) && words[5] === 0xffff) return `::ffff:${dotted()}`;
  if (head(6) && high !== 0) return `::${dotted()}`;
  return text;
}

/** One value as the JSON formatter writes it (NullDoubleWriter: non-finite doubles become null). */
export function zeekJsonValue(value: LogValue): Json {
  if (!value.present) return null;
  switch (value.type) {
    case "bool":
      return value.value;
    case "int":
    case "count":
      return Number.isSafeInteger(Number(value.value)) ? Number(value.value) : String(value.value);
    case "double":
    case "time": // LogAscii::json_timestamps = JSON::TS_EPOCH
    case "interval":
      return Number.isFinite(value.value) ? value.value : null;
    case "string":
    case "file":
    case "func":
      return zeekJsonString(value.value);
    case "enum":
      return value.name;
    case "port": // the number only
      return value.number;
    case "addr":
      return zeekAddress(value.value);
    case "subnet":
      return `${zeekAddress(value.address)}/${value.length}`;
    case "set": // in the order the elements came: a remote write goes to the writer as it was sent
    case "vector":
      return value.elements.map(zeekJsonValue);
  }
}

/** A record as one JSON log line: the present values only (JSON::include_unset_fields is F), in column order. */
export function zeekJsonRecord(
  fields: readonly LogField[],
  record: readonly LogValue[],
): { [key: string]: Json } {
  const line: { [key: string]: Json } = {};
  record.forEach((value, index) => {
    if (value.present) line[(fields[index] as LogField).name] = zeekJsonValue(value);
  });
  return line;
}
