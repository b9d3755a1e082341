import { utf8 } from "../bytes/writer.js";
import { addressToBytes } from "./address.js";
import { VALUE_TYPES, type ZeekValue } from "./model.js";

const TAG = new Map(VALUE_TYPES.map((type, tag) => [type, tag]));

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

const compareNumbers = (a: number | bigint, b: number | bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function compareLists(a: readonly ZeekValue[], b: readonly ZeekValue[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = compareValues(a[i] as ZeekValue, b[i] as ZeekValue);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

const addressBytes = (text: string): Uint8Array => addressToBytes(text) ?? new Uint8Array(16);

/**
 * Broker's total order on data (type tag first, then value), which is the order of set elements and table keys
 * on the wire: strings and enum names byte by byte, addresses by their 16-byte form, containers element by element.
 */
export function compareValues(a: ZeekValue, b: ZeekValue): number {
  if (a.type !== b.type) return (TAG.get(a.type) as number) - (TAG.get(b.type) as number);
  switch (a.type) {
    case "none":
      return 0;
    case "boolean":
    case "count":
    case "integer":
    case "real":
      return compareNumbers(a.value as number | bigint, (b as typeof a).value as number | bigint);
    case "string":
      return compareBytes(utf8(a.value), utf8((b as typeof a).value));
    case "address":
      return compareBytes(addressBytes(a.value), addressBytes((b as typeof a).value));
    case "subnet": {
      const other = b as typeof a;
      return (
        compareBytes(addressBytes(a.address), addressBytes(other.address)) || rawLength(a) - rawLength(other)
      );
    }
    case "port": {
      const other = b as typeof a;
      return a.number - other.number || protocolNumber(a.protocol) - protocolNumber(other.protocol);
    }
    case "timestamp":
    case "timespan":
      return compareNumbers(a.ns, (b as typeof a).ns);
    case "enum":
      return compareBytes(utf8(a.name), utf8((b as typeof a).name));
    case "vector":
      return compareLists(a.elements, (b as typeof a).elements);
    case "set":
      // Broker compares sets in their own (sorted) order, whatever order we were handed them in.
      return compareLists(sortedElements(a.elements), sortedElements((b as typeof a).elements));
    case "table": {
      const mine = sortedEntries(a.entries);
      const other = sortedEntries((b as typeof a).entries);
      const length = Math.min(mine.length, other.length);
      for (let i = 0; i < length; i++) {
        const [ak, av] = mine[i] as readonly [ZeekValue, ZeekValue];
        const [bk, bv] = other[i] as readonly [ZeekValue, ZeekValue];
        const diff = compareValues(ak, bk) || compareValues(av, bv);
        if (diff !== 0) return diff;
      }
      return mine.length - other.length;
    }
  }
}

function isSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1] as T, items[i] as T) > 0) return false;
  return true;
}

const compareEntries = (a: readonly [ZeekValue, ZeekValue], b: readonly [ZeekValue, ZeekValue]) =>
  compareValues(a[0], b[0]);

function sortedElements(elements: readonly ZeekValue[]): readonly ZeekValue[] {
  return isSorted(elements, compareValues) ? elements : [...elements].sort(compareValues);
}

function sortedEntries(
  entries: readonly (readonly [ZeekValue, ZeekValue])[],
): readonly (readonly [ZeekValue, ZeekValue])[] {
  return isSorted(entries, compareEntries) ? entries : [...entries].sort(compareEntries);
}

/** broker's `raw_len`: IPv4 prefix lengths count from bit 96 of the mapped address. */
export function rawLength(subnet: { address: string; length: number }): number {
  return subnet.address.includes(":") ? subnet.length : subnet.length + 96;
}

/** The wire number of a port protocol. */
export function protocolNumber(protocol: string): number {
  switch (protocol) {
    case "tcp":
      return 1;
    case "udp":
      return 2;
    case "icmp":
      return 3;
    default:
      return 0;
  }
}

/**
 * Items sorted into broker's canonical order by their key (set elements, table entries), and whether two keys are
 * equal — which broker's decoder rejects, so every encoder refuses it.
 */
export function sortCanonical<T>(
  items: readonly T[],
  keyOf: (item: T) => ZeekValue,
): { sorted: T[]; duplicate: boolean } {
  const sorted = [...items].sort((a, b) => compareValues(keyOf(a), keyOf(b)));
  for (let i = 1; i < sorted.length; i++) {
    if (compareValues(keyOf(sorted[i - 1] as T), keyOf(sorted[i] as T)) === 0)
      return { sorted, duplicate: true };
  }
  return { sorted, duplicate: false };
}
