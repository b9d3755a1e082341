import { isUtf8 } from "node:buffer";

// Buffer's native slicers, called on any Uint8Array (no Buffer view per call).
const native = Buffer.prototype as unknown as {
  latin1Slice(this: Uint8Array, start: number, end: number): string;
  utf8Slice(this: Uint8Array, start: number, end: number): string;
};

/** ASCII strings up to this many bytes go through the cache below. */
const CACHED = 32;
/** ASCII strings up to this many bytes are built in JavaScript: below it a native slice costs more. */
const SHORT = 8;
/** Slots of the string cache (a power of two). */
const SLOTS = 4096;
const cache: (string | undefined)[] = new Array(SLOTS).fill(undefined);
/** The hash of the string in each slot: a miss is found without touching the string. */
const cachedHashes = new Int32Array(SLOTS);
/** The hash last seen in each slot: a string enters the cache only when seen twice, so unique ones (uids) never do. */
const seenHashes = new Int32Array(SLOTS);
const fromCharCode = String.fromCharCode;

/**
 * `bytes[start..end)` as text when they are valid UTF-8, else a copy of the bytes (Zeek strings are byte strings).
 *
 * Log batches repeat the same short values over and over (protocols, states, services, histories, enum names),
 * so short ASCII strings go through a small direct-mapped cache keyed on their bytes: a hit returns the string
 * made before, with no allocation; a miss costs one hash over bytes already being scanned for ASCII. A string is
 * cached the second time its slot sees it, so unique values (uids) do not evict repeated ones. Longer or non-ASCII
 * text takes Buffer's native slicers.
 */
export function decodeText(bytes: Uint8Array, start: number, end: number): string | Uint8Array {
  const length = end - start;
  if (length === 0) return "";
  if (length <= CACHED) {
    // One pass: the ASCII check and the hash (FNV-1a, 32 bits) together.
    let hash = 0x811c9dc5;
    let high = 0;
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number;
      high |= byte;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    if (high < 0x80) {
      hash |= 0;
      const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
      if (cachedHashes[slot] === hash) {
        const cached = cache[slot];
        if (cached !== undefined && cached.length === length && sameAscii(cached, bytes, start))
          return cached;
      }
      const text =
        length <= SHORT ? shortAscii(bytes, start, length) : native.latin1Slice.call(bytes, start, end);
      if (seenHashes[slot] === hash) {
        cache[slot] = text;
        cachedHashes[slot] = hash;
      } else {
        seenHashes[slot] = hash;
      }
      return text;
    }
  } else if (isAscii(bytes, start, end)) {
    return native.latin1Slice.call(bytes, start, end);
  }
  const raw = bytes.subarray(start, end);
  // A plain Uint8Array copy, not a view: values must not pin or alias the message they came from.
  return isUtf8(raw) ? native.utf8Slice.call(bytes, start, end) : new Uint8Array(raw);
}

/** True when `bytes[start..end)` is valid UTF-8 (what {@link decodeText} returns as a string). */
export function isText(bytes: Uint8Array, start: number, end: number): boolean {
  return isAscii(bytes, start, end) || isUtf8(bytes.subarray(start, end));
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((bytes[i] as number) > 0x7f) return false;
  return true;
}

function sameAscii(text: string, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** 1 to {@link SHORT} ASCII bytes as a string, without a call into native code. */
function shortAscii(b: Uint8Array, at: number, length: number): string {
  const c0 = b[at] as number;
  if (length === 1) return fromCharCode(c0);
  const c1 = b[at + 1] as number;
  if (length === 2) return fromCharCode(c0, c1);
  const c2 = b[at + 2] as number;
  if (length === 3) return fromCharCode(c0, c1, c2);
  const c3 = b[at + 3] as number;
  if (length === 4) return fromCharCode(c0, c1, c2, c3);
  const c4 = b[at + 4] as number;
  if (length === 5) return fromCharCode(c0, c1, c2, c3, c4);
  const c5 = b[at + 5] as number;
  if (length === 6) return fromCharCode(c0, c1, c2, c3, c4, c5);
  const c6 = b[at + 6] as number;
  if (length === 7) return fromCharCode(c0, c1, c2, c3, c4, c5, c6);
  return fromCharCode(c0, c1, c2, c3, c4, c5, c6, b[at + 7] as number);
}

const OCTETS: readonly string[] = Array.from({ length: 256 }, (_unused, i) => String(i));
const OCTETS_DOT: readonly string[] = OCTETS.map((octet) => `${octet}.`);
const V4_SLOTS = 4096;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Texts: (string | undefined)[] = new Array(V4_SLOTS).fill(undefined);
/** The address last seen in each slot: as with strings, an address is cached once it has been seen twice. */
const v4Seen = new Int32Array(V4_SLOTS);

/**
 * The 4 bytes at `at` as a dotted quad. Logs name the same hosts again and again, so repeated addresses come from
 * a small direct-mapped cache keyed on their 32-bit value.
 */
export function formatIpv4(bytes: Uint8Array, at: number): string {
  const a = bytes[at] as number;
  const b = bytes[at + 1] as number;
  const c = bytes[at + 2] as number;
  const d = bytes[at + 3] as number;
  const key = (a << 24) | (b << 16) | (c << 8) | d;
  const slot = (key ^ (key >>> 12) ^ (key >>> 20)) & (V4_SLOTS - 1);
  if (v4Keys[slot] === key) {
    const cached = v4Texts[slot];
    if (cached !== undefined) return cached;
  }
  const text = (OCTETS_DOT[a] as string) + OCTETS_DOT[b] + OCTETS_DOT[c] + OCTETS[d];
  if (v4Seen[slot] === key) {
    v4Keys[slot] = key;
    v4Texts[slot] = text;
  } else {
    v4Seen[slot] = key;
  }
  return text;
}
