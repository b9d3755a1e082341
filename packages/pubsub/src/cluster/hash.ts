import { ZmqcError } from "@zmqc/config";
import type { ValueType, ZeekValue } from "@zmqc/wire-format";

/**
 * FNV-1a offset basis and prime as in Zeek's `fnv1a32` BiF (zeek/zeek `src/zeek.bif` v8.2.2:
 * `uint32_t offset = 2166136261; uint32_t prime = 16777619;`), i.e. 0x811c9dc5 and 0x01000193.
 */
export const FNV1A32_OFFSET_BASIS = 0x811c9dc5;
/** The 32-bit FNV prime, 2^24 + 2^8 + 0x93. */
export const FNV1A32_PRIME = 0x01000193;

const utf8 = new TextEncoder();

/**
 * 32-bit FNV-1a over raw bytes, exactly as Zeek's `fnv1a32` BiF for a `string`: for each byte, `h ^= byte`,
 * then `h *= prime` in uint32 arithmetic, starting from the offset basis. A JS string is hashed as its UTF-8
 * bytes (the bytes a Zeek string holds for the same text).
 *
 * @returns the digest as an unsigned 32-bit number.
 */
export function fnv1a32(input: Uint8Array | string): number {
  const bytes = typeof input === "string" ? utf8.encode(input) : input;
  let hash = FNV1A32_OFFSET_BASIS;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV1A32_PRIME);
  return hash >>> 0;
}

/**
 * A key for HRW hashing (`Cluster::hrw_topic(pool, key: any)`): a string (its UTF-8 bytes), raw bytes (a Zeek
 * string that is not text), or a Zeek value of type string, count, integer, boolean or real.
 */
export type HrwKey = string | Uint8Array | ZeekValue;

/** The key types {@link hrwKeyBytes} can hash as Zeek does. */
export const HASHABLE_KEY_TYPES = ["string", "count", "integer", "boolean", "real"] as const;

/**
 * A key {@link hrwKeyBytes} cannot hash the way Zeek does (code `ENCODE`): a value of another type, or a
 * count / integer outside its 64-bit range.
 */
export class UnsupportedKeyError extends ZmqcError {
  /** The key's value type. */
  readonly keyType: ValueType;

  constructor(keyType: ValueType, message: string) {
    super("ENCODE", message);
    this.name = "UnsupportedKeyError";
    this.keyType = keyType;
  }
}

// Zeek's TypeTag values (src/Type.h): TYPE_BOOL 1, TYPE_INT 2, TYPE_COUNT 3, TYPE_DOUBLE 4.
const TYPE_TAG = { boolean: 1, integer: 2, count: 3, real: 4 } as const;

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * The bytes Zeek's `fnv1a32` hashes for a key.
 *
 * - A string: its bytes (the BiF reads a `StringVal` directly).
 * - count, int, bool, double: `Val::Describe` into an `ODesc(DESC_BINARY)` — the type (`Type::DoDescribe`:
 *   `Add(static_cast<int>(Tag()))`, a native int32) followed by the value (`Add(zeek_int_t)`,
 *   `Add(zeek_uint_t)` or `Add(double)`: native 8 bytes; a bool is an int 0 or 1). Native means the byte order
 *   of the host Zeek runs on; this function writes little-endian, as on x86-64 and arm64.
 *
 * Other types (addr, subnet, port, enum, time, interval, containers, …) are not supported: Zeek describes them
 * in ways (text forms, enum numbers, nested descriptions) this package does not reproduce.
 *
 * @throws {UnsupportedKeyError} for a value of another type, or a count / integer outside 64 bits.
 */
export function hrwKeyBytes(key: HrwKey): Uint8Array {
  if (typeof key === "string") return utf8.encode(key);
  if (key instanceof Uint8Array) return key;
  switch (key.type) {
    case "string":
      return typeof key.value === "string" ? utf8.encode(key.value) : key.value;
    case "count":
      if (key.value < 0n || key.value > UINT64_MAX) {
        throw new UnsupportedKeyError("count", `count key ${key.value} is outside 0..2^64-1`);
      }
      return tagged(TYPE_TAG.count, (view) => view.setBigUint64(4, key.value, true));
    case "integer":
      if (key.value < INT64_MIN || key.value > INT64_MAX) {
        throw new UnsupportedKeyError("integer", `integer key ${key.value} is outside -2^63..2^63-1`);
      }
      return tagged(TYPE_TAG.integer, (view) => view.setBigInt64(4, key.value, true));
    case "boolean":
      return tagged(TYPE_TAG.boolean, (view) => view.setBigInt64(4, key.value ? 1n : 0n, true));
    case "real":
      return tagged(TYPE_TAG.real, (view) => view.setFloat64(4, key.value, true));
    default:
      throw new UnsupportedKeyError(
        key.type,
        `cannot hash a ${key.type} key as Zeek does: use a string, count, integer, boolean or real key`,
      );
  }
}

/** `fnv1a32(key)` as Zeek computes it for `Cluster::hrw_topic(pool, key)`; see {@link hrwKeyBytes}. */
export function hrwKeyDigest(key: HrwKey): number {
  return fnv1a32(hrwKeyBytes(key));
}

function tagged(tag: number, writeValue: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, tag, true);
  writeValue(view);
  return bytes;
}
