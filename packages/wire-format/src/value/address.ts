import ipaddr from "ipaddr.js";

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

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
  if (!text.includes(":") || !ipaddr.IPv6.isValid(text)) return undefined;
  return Uint8Array.from(ipaddr.IPv6.parse(text).toByteArray());
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
