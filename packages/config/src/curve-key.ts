// ZeroMQ's Z85 alphabet (RFC 32/Z85): 85 printable characters, 5 characters encode 4 bytes.
const Z85_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
const Z85_VALUE = new Map([...Z85_ALPHABET].map((char, index) => [char, index]));

/** Length of a Z85-encoded CURVE key (32 bytes). */
export const CURVE_KEY_LENGTH = 40;

/**
 * Says what is wrong with a Z85 CURVE key, or returns `undefined` when it is a well-formed 40-character key.
 * The key itself is never part of the message, so it cannot leak into logs.
 */
export function curveKeyProblem(key: string): string | undefined {
  if (key.length !== CURVE_KEY_LENGTH) {
    return `a CURVE key is ${CURVE_KEY_LENGTH} Z85 characters, this one has ${key.length}`;
  }
  for (let offset = 0; offset < key.length; offset += 5) {
    let value = 0;
    for (const char of key.slice(offset, offset + 5)) {
      const digit = Z85_VALUE.get(char);
      if (digit === undefined) return "a CURVE key may only hold Z85 characters";
      value = value * 85 + digit;
    }
    // Five Z85 digits can express more than 32 bits; such a group decodes to nothing valid.
    if (value > 0xffff_ffff) return "not a valid Z85 encoding";
  }
  return undefined;
}

/**
 * Decodes a Z85 CURVE key to its 32 bytes (what a ZAP request carries). Throws for a malformed key; the message
 * does not include the key.
 */
export function curveKeyBytes(key: string): Uint8Array {
  const problem = curveKeyProblem(key);
  if (problem !== undefined) throw new Error(problem);
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  for (let group = 0; group < 8; group++) {
    let value = 0;
    for (const char of key.slice(group * 5, group * 5 + 5))
      value = value * 85 + (Z85_VALUE.get(char) as number);
    view.setUint32(group * 4, value);
  }
  return bytes;
}
