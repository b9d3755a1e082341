import ipaddr from "ipaddr.js";

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4_TAIL = /(?<=:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The two 16-bit hex words of a dotted IPv4 tail (undefined-safe: octets over 255 make an invalid word). */
function hexWords(tail: RegExpExecArray): string {
  const [a, b, c, d] = tail.slice(1, 5).map(Number) as [number, number, number, number];
  if (a > 255 || b > 255 || c > 255 || d > 255) return "x";
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** True when 16 address bytes are an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), broker's form of IPv4. */
export function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 12; i++) if (bytes[i] !== V4_MAPPED_PREFIX[i]) return false;
  return true;
}

/**
 * Parses an address into broker's 16 bytes (IPv4 as `::ffff:a.b.c.d`), or returns undefined when the text is
 * not an address. IPv4 is parsed by hand because it is by far the common case on the hot path.
 */
export function addressToBytes(text: string): Uint8Array | undefined {
  const v4 = IPV4.exec(text);
  if (v4) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    for (let i = 0; i < 4; i++) {
      const octet = Number(v4[i + 1]);
      if (octet > 255) return undefined;
      bytes[12 + i] = octet;
    }
    return bytes;
  }
  if (!text.includes(":")) return undefined;
  // ipaddr.js reads any dotted IPv4 tail as IPv4-mapped (`::1.2.3.4` as `::ffff:1.2.3.4`); spell the tail as two
  // hex words first so it lands where it was written.
  const tail = IPV4_TAIL.exec(text);
  const normalized = tail ? `${text.slice(0, tail.index)}${hexWords(tail)}` : text;
  if (tail === null && /\./.test(text)) return undefined;
  if (!ipaddr.IPv6.isValid(normalized)) return undefined;
  return Uint8Array.from(ipaddr.IPv6.parse(normalized).toByteArray());
}

/** Formats broker's 16 address bytes: dotted quad for IPv4-mapped addresses, RFC 5952 text otherwise. */
export function bytesToAddress(bytes: Uint8Array): string {
  if (isV4Mapped(bytes)) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  return ipaddr.fromByteArray(Array.from(bytes)).toString();
}

/** Zeroes every bit past the first `bits` (broker masks a subnet's network this way). */
export function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  const masked = bytes.slice();
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    masked[i] = (masked[i] as number) & ((0xff << (8 - keep)) & 0xff);
  }
  return masked;
}
