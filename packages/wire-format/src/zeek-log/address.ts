import ipaddr from "ipaddr.js";
import { addressToBytes } from "../value/address.js";

/** An address as `zeek-bin-serializer` writes it: family 4 with 4 bytes, or family 6 with 16. */
export interface FamilyAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/**
 * Parses address text: dotted-quad text is family 4, IPv6 text (IPv4-mapped included) family 6, so the family
 * read from the wire survives a round trip. Undefined when the text is not an address.
 */
export function parseFamilyAddress(text: string): FamilyAddress | undefined {
  const bytes = addressToBytes(text);
  if (!bytes) return undefined;
  return text.includes(":") ? { family: 6, bytes } : { family: 4, bytes: bytes.subarray(12) };
}

/** Formats 4 or 16 address bytes: dotted quad, or RFC 5952 IPv6 text (never dotted, even when IPv4-mapped). */
export function formatFamilyAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  return ipaddr.fromByteArray(Array.from(bytes)).toString();
}
