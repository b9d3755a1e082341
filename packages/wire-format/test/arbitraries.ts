// fast-check generators for the whole value model, shared by every codec's property tests.
import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import { compareValues, PORT_PROTOCOLS, Value, type ZeekValue } from "../src/index.js";
import { addressToBytes, isV4Mapped } from "../src/value/address.js";

const MIN_NORMAL = 2.2250738585072014e-308;
const INT64 = { min: -(1n << 63n), max: (1n << 63n) - 1n };

/**
 * Doubles without subnormals: broker's pack754 mangles subnormals (Zeek does too), so they cannot round-trip;
 * they have their own byte-exact tests.
 */
const real = fc.double().filter((x) => x === 0 || !Number.isFinite(x) || Math.abs(x) >= MIN_NORMAL);

// An IPv4-mapped IPv6 address *is* IPv4 to broker (so its prefix length is 0–32).
const ipv6NotMapped = fc.ipV6().filter((text) => !isV4Mapped(addressToBytes(text) ?? new Uint8Array(16)));

/** Any leaf value (no containers). */
export const leafValue: fc.Arbitrary<ZeekValue> = fc.oneof(
  fc.constant(Value.none()),
  fc.boolean().map(Value.boolean),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(Value.count),
  fc.bigInt(INT64).map(Value.integer),
  real.map(Value.real),
  fc.string({ unit: "grapheme", maxLength: 20 }).map(Value.string),
  fc.uint8Array({ maxLength: 12 }).map(Value.string),
  fc.ipV4().map(Value.address),
  fc.ipV6().map(Value.address),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, n]) => Value.subnet(a, n)),
  fc.tuple(ipv6NotMapped, fc.integer({ min: 0, max: 128 })).map(([a, n]) => Value.subnet(a, n)),
  fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(...PORT_PROTOCOLS))
    .map(([n, p]) => Value.port(n, p)),
  fc.bigInt(INT64).map(Value.timeNs),
  fc.bigInt(INT64).map(Value.intervalNs),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)?$/).map(Value.enum),
);

const sameValue = (a: ZeekValue, b: ZeekValue) => compareValues(a, b) === 0;

/** Any value, containers nested a few levels deep. Sets and tables hold distinct keys. */
export const zeekValue: fc.Arbitrary<ZeekValue> = fc.letrec<{ value: ZeekValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafValue,
    fc.array(tie("value"), { maxLength: 4 }).map(Value.vector),
    fc.uniqueArray(tie("value"), { maxLength: 4, comparator: sameValue }).map(Value.set),
    fc
      .uniqueArray(fc.tuple(tie("value"), tie("value")), {
        maxLength: 4,
        comparator: (a, b) => sameValue(a[0], b[0]),
      })
      .map(Value.table),
  ),
})).value;

/**
 * What a value reads back as from any codec: sets and tables in canonical order, and byte strings that are valid
 * UTF-8 as text (decoders return text whenever the bytes allow).
 */
export function canonical(value: ZeekValue): ZeekValue {
  switch (value.type) {
    case "string":
      return typeof value.value !== "string" && isUtf8(value.value)
        ? Value.string(Buffer.from(value.value).toString("utf8"))
        : value;
    case "vector":
      return Value.vector(value.elements.map(canonical));
    case "set":
      return Value.set(value.elements.map(canonical).sort(compareValues));
    case "table":
      return Value.table(
        value.entries
          .map(([k, v]) => [canonical(k), canonical(v)] as const)
          .sort((a, b) => compareValues(a[0], b[0])),
      );
    default:
      return value;
  }
}
