/**
 * Zeek's byte escaping for log output (zeek/zeek v8.2.2): `util::escape_utf8` and `util::get_escaped_string`
 * (src/util.cc), `check_ok_utf8` with src/3rdparty/ConvertUTF.c. Escapes are `\xNN` with lowercase hex
 * (`util::bytetohex`).
 */

const HEX = "0123456789abcdef";

/** `\xNN` for one byte. */
export function hexEscape(byte: number): string {
  return `\\x${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

/** Every byte as `\xNN`, backslash as `\\` (`get_escaped_string(…, escape_all=true)`). */
export function escapeAll(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte === 0x5c ? "\\\\" : hexEscape(byte);
  return out;
}

/**
 * `get_escaped_string(s, escape_all=false)`, used for the TSV header's separator, path and markers: spaces and
 * bytes that are not printable ASCII become `\xNN`; everything else, a backslash too, stays.
 */
export function escapeHeaderValue(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    // isspace || !isascii || !isprint; the `\\` branch only applies to bytes escaped anyway.
    out += byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : hexEscape(byte);
  }
  return out;
}

/** Length of the UTF-8 sequence a lead byte announces (ConvertUTF.c's trailingBytesForUTF8 + 1). */
function sequenceLength(lead: number): number {
  if (lead < 0xc0) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf8) return 4;
  return lead < 0xfc ? 5 : 6;
}

/** A code point `escape_utf8` refuses to pass through (`check_ok_utf8`): controls, private use, U+FFF0–U+FFFF. */
export function isRefusedCodePoint(cp: number): boolean {
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0xe000 && cp <= 0xf8ff) ||
    (cp >= 0xfff0 && cp <= 0xffff)
  );
}

/** `check_ok_utf8`: a well-formed sequence (isLegalUTF8, strict) of an accepted code point. */
function okSequence(bytes: Uint8Array, at: number, length: number): boolean {
  const lead = bytes[at] as number;
  if (length > 4 || (lead >= 0x80 && lead < 0xc2) || lead > 0xf4) return false;
  let cp = length === 1 ? lead : lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i++) {
    const next = bytes[at + i] as number;
    if (next < 0x80 || next > 0xbf) return false;
    cp = (cp << 6) | (next & 0x3f);
  }
  const second = bytes[at + 1] as number;
  if (lead === 0xe0 && second < 0xa0) return false;
  if (lead === 0xed && second > 0x9f) return false;
  if (lead === 0xf0 && second < 0x90) return false;
  if (lead === 0xf4 && second > 0x8f) return false;
  return !isRefusedCodePoint(cp);
}

/** Which control characters `escape_utf8` leaves alone. */
export type Utf8EscapeMode =
  /** `ESCAPE_PRINTABLE_CONTROLS | ESCAPE_UNPRINTABLE_CONTROLS` (TSV): no control passes. */
  | "all-controls"
  /** `ESCAPE_UNPRINTABLE_CONTROLS` (JSON): `\b \t \n \f \r` pass (JSON escapes them next). */
  | "unprintable-controls";

/** \b \t \n \f \r */
function isPrintableControl(byte: number): boolean {
  return byte === 8 || byte === 9 || byte === 10 || byte === 12 || byte === 13;
}

/**
 * `util::escape_utf8(bytes[start, end), flags)`: the bytes as they are when every one is printable ASCII, a
 * passing control, or part of a well-formed UTF-8 character that is not refused; otherwise the whole range
 * again with every other byte as `\xNN` — the bytes of good multi-byte characters too.
 */
export function escapeUtf8(bytes: Uint8Array, start: number, end: number, mode: Utf8EscapeMode): string {
  const passControls = mode === "unprintable-controls";
  let i = start;
  let ascii = true;
  while (i < end) {
    const byte = bytes[i] as number;
    if ((byte >= 0x20 && byte < 0x7f) || (passControls && isPrintableControl(byte))) {
      i++;
      continue;
    }
    // Controls (a one-byte sequence of a code point below 0x20 or 0x7f) fail check_ok_utf8 too.
    const length = sequenceLength(byte);
    if (i + length > end || !okSequence(bytes, i, length))
      return escapeRange(bytes, start, end, passControls);
    ascii = false;
    i += length;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    ascii ? "latin1" : "utf8",
    start,
    end,
  );
}

function escapeRange(bytes: Uint8Array, start: number, end: number, passControls: boolean): string {
  let out = "";
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    out +=
      (byte >= 0x20 && byte < 0x7f) || (passControls && isPrintableControl(byte))
        ? String.fromCharCode(byte)
        : hexEscape(byte);
  }
  return out;
}

/**
 * True when `escape_utf8` returns this text unchanged: it has no lone surrogate (its UTF-8 would be U+FFFD,
 * refused) and every character is printable ASCII, a passing control, or an accepted non-ASCII code point.
 */
export function passesUtf8Unchanged(text: string, mode: Utf8EscapeMode): boolean {
  const passControls = mode === "unprintable-controls";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) continue;
    if (unit < 0x20) {
      if (passControls && isPrintableControl(unit)) continue;
      return false;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
      i++; // supplementary planes are never refused
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return false;
    if (isRefusedCodePoint(unit)) return false;
  }
  return true;
}
