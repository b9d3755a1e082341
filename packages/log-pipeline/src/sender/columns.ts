import {
  type LogAddr,
  type LogField,
  type LogValue,
  LogValues,
  type LogValueType,
  logField,
  TypeTag,
} from "@zmqc/wire-format";
import { parseIpv6 } from "../writers/address.js";

/** The atomic column types of a log stream (Zeek's names): every log value type but containers, file and func. */
export type AtomType = Exclude<LogValueType, "set" | "vector" | "file" | "func">;

/** A column: an atomic type, a set or vector of one, or a nested record (flattened to `outer.inner` columns). */
export type ColumnType =
  | AtomType
  | { readonly set: AtomType }
  | { readonly vector: AtomType }
  | { readonly record: Columns };

/** A column with its type and whether it may be unset (`&optional`). */
export type ColumnSpec = ColumnType | { readonly type: ColumnType; readonly optional: true };

/** The columns of a stream by name, in order. */
export type Columns = { readonly [name: string]: ColumnSpec };

/** The JavaScript value a column of each atomic type takes. */
export interface AtomValue {
  bool: boolean;
  int: number | bigint;
  count: number | bigint;
  double: number;
  /** A Date, or seconds since the epoch. */
  time: Date | number;
  /** Seconds. */
  interval: number;
  string: string | Uint8Array;
  enum: string;
  /** A number, `"443/tcp"`, or `{ number, protocol }`. */
  port: number | string | { readonly number: number; readonly protocol: "unknown" | "tcp" | "udp" | "icmp" };
  addr: string;
  /** `"10.0.0.0/8"`. */
  subnet: string;
}

type ValueOfType<T> = T extends AtomType
  ? AtomValue[T]
  : T extends { readonly set: infer A extends AtomType }
    ? Iterable<AtomValue[A]>
    : T extends { readonly vector: infer A extends AtomType }
      ? readonly AtomValue[A][]
      : T extends { readonly record: infer C extends Columns }
        ? LogRecordOf<C>
        : never;

type OptionalKeys<C extends Columns> = {
  [K in keyof C]: C[K] extends { readonly optional: true } ? K : never;
}[keyof C];
type RequiredKeys<C extends Columns> = Exclude<keyof C, OptionalKeys<C>>;

/** The record type a stream with these columns takes: required columns must be there, optional ones may be null. */
export type LogRecordOf<C extends Columns> = {
  readonly [K in RequiredKeys<C>]: ValueOfType<C[K]>;
} & {
  readonly [K in OptionalKeys<C>]?:
    | (C[K] extends { readonly type: infer T } ? ValueOfType<T> : never)
    | null
    | undefined;
};

/** One flattened column: its Zeek field, the path to its value in a record, and how to convert it. */
export interface FlatColumn {
  readonly field: LogField;
  readonly path: readonly string[];
  readonly optional: boolean;
  readonly convert: (value: unknown) => LogValue;
}

/** Why a record does not fit its stream; names the column. */
export class LogRecordError extends Error {
  readonly code = "ENCODE" as const;
  constructor(
    readonly column: string,
    detail: string,
  ) {
    super(`column '${column}': ${detail}`);
    this.name = "LogRecordError";
  }
}

const isAtom = (type: ColumnType): type is AtomType => typeof type === "string";

function atomConverter(type: AtomType, column: string): (value: unknown) => LogValue {
  const bad = (value: unknown, expected: string): never => {
    throw new LogRecordError(
      column,
      `expected ${expected}, got ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    );
  };
  switch (type) {
    case "bool":
      return (v) => (typeof v === "boolean" ? LogValues.bool(v) : bad(v, "a boolean"));
    case "int":
      return (v) =>
        typeof v === "number" || typeof v === "bigint" ? LogValues.int(v) : bad(v, "an integer");
    case "count":
      return (v) => (typeof v === "number" || typeof v === "bigint" ? LogValues.count(v) : bad(v, "a count"));
    case "double":
      return (v) => (typeof v === "number" ? LogValues.double(v) : bad(v, "a number"));
    case "time":
      return (v) =>
        v instanceof Date || typeof v === "number" ? LogValues.time(v) : bad(v, "a Date or epoch seconds");
    case "interval":
      return (v) => (typeof v === "number" ? LogValues.interval(v) : bad(v, "seconds"));
    case "string":
      return (v) =>
        typeof v === "string" || v instanceof Uint8Array ? LogValues.string(v) : bad(v, "a string");
    case "enum":
      return (v) => (typeof v === "string" ? LogValues.enum(v) : bad(v, "an enum name"));
    case "port":
      return (v) => {
        if (typeof v === "number" || typeof v === "string") return LogValues.port(v);
        if (typeof v === "object" && v !== null && "number" in v) {
          const port = v as { number: number; protocol: "unknown" | "tcp" | "udp" | "icmp" };
          return LogValues.port(port.number, port.protocol);
        }
        return bad(v, "a port");
      };
    case "addr":
      return (v) =>
        typeof v === "string"
          ? isCanonicalIpv4(v)
            ? ipv4Value(v)
            : LogValues.addr(zeekAddress(v))
          : bad(v, "an address");
    case "subnet":
      return (v) => (typeof v === "string" ? LogValues.subnet(zeekSubnet(v)) : bad(v, "a subnet"));
  }
}

/** True for a dotted quad as LogValues.addr prints it: four decimal octets, 0 to 255, without leading zeros. */
export function isCanonicalIpv4(text: string): boolean {
  return parseCanonicalIpv4(text) >= 0;
}

/** The four octets of a canonical dotted quad (see {@link isCanonicalIpv4}) as one unsigned 32-bit number, or -1. */
export function parseCanonicalIpv4(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let dots = 0;
  let digits = 0;
  let octet = 0;
  let address = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || ++dots > 3) return -1;
      address = address * 256 + octet;
      digits = 0;
      octet = 0;
      continue;
    }
    const digit = code - 0x30;
    // A digit; a leading zero only as the whole octet.
    if (digit < 0 || digit > 9 || (digits > 0 && octet === 0)) return -1;
    octet = octet * 10 + digit;
    if (++digits > 3 || octet > 255) return -1;
  }
  return dots === 3 && digits > 0 ? address * 256 + octet : -1;
}

/**
 * What `LogValues.addr(text)` returns for a canonical dotted quad (the text itself, subtype VOID), without its
 * parse into bytes and back: the most common address, and a third of the cost of a conn record's values.
 */
function ipv4Value(text: string): LogAddr {
  return { type: "addr", present: true, subtype: TypeTag.VOID, value: text };
}

/** The dotted quad of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, any spelling), else undefined. */
function mappedIpv4(text: string): string | undefined {
  if (!text.includes(":")) return undefined;
  const bytes = parseIpv6(text);
  if (
    bytes === undefined ||
    bytes[10] !== 0xff ||
    bytes[11] !== 0xff ||
    bytes.subarray(0, 10).some((b) => b !== 0)
  )
    return undefined;
  return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
}

/**
 * Zeek has no IPv4-mapped IPv6 addresses: `[::ffff:1.2.3.4]` is the IPv4 address 1.2.3.4 (IPAddr keeps IPv4 in
 * that form), so a Zeek node sends it as family 4 and its logs print `1.2.3.4`. Node.js reports IPv4 peers of a
 * dual-stack socket in exactly that form; sent as written, it would go out as family 6 and a logger (Zeek's
 * too) would print `::ffff:1.2.3.4`, which no Zeek node writes.
 */
function zeekAddress(text: string): string {
  return mappedIpv4(text) ?? text;
}

/** The same for a subnet: `::ffff:1.2.3.0/120` is Zeek's 1.2.3.0/24 (a prefix of at least 96 bits). */
function zeekSubnet(text: string): string {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return text;
  const v4 = mappedIpv4(text.slice(0, slash));
  const length = text.slice(slash + 1);
  if (v4 === undefined || !/^\d{1,3}$/.test(length) || Number(length) < 96 || Number(length) > 128)
    return text;
  return `${v4}/${Number(length) - 96}`;
}

/** Wraps a converter so library errors about the value name the column. */
function naming(column: string, convert: (value: unknown) => LogValue): (value: unknown) => LogValue {
  return (value) => {
    try {
      return convert(value);
    } catch (error) {
      if (error instanceof LogRecordError) throw error;
      throw new LogRecordError(column, (error as Error).message);
    }
  };
}

/**
 * Flattens columns the way Zeek's logging framework does (`id.orig_h`), with Zeek's field descriptions: subtype
 * VOID except set and vector columns, which carry their element type.
 */
export function flattenColumns(
  columns: Columns,
  prefix: readonly string[] = [],
  optionalParent = false,
): FlatColumn[] {
  const flat: FlatColumn[] = [];
  for (const [name, spec] of Object.entries(columns)) {
    const optional =
      optionalParent || (typeof spec === "object" && "optional" in spec && spec.optional === true);
    const type: ColumnType = typeof spec === "object" && "type" in spec ? spec.type : (spec as ColumnType);
    const path = [...prefix, name];
    const column = path.join(".");
    if (typeof type === "object" && "record" in type) {
      flat.push(...flattenColumns(type.record, path, optional));
      continue;
    }
    if (isAtom(type)) {
      flat.push({
        field: logField(column, type as LogValueType, { optional }),
        path,
        optional,
        convert: naming(column, atomConverter(type, column)),
      });
      continue;
    }
    const kind = "set" in type ? "set" : "vector";
    const element = "set" in type ? type.set : type.vector;
    const convertElement = atomConverter(element, column);
    flat.push({
      field: logField(column, kind, { element: element as LogValueType, optional }),
      path,
      optional,
      convert: naming(column, (value) => {
        if (value === null || typeof value !== "object" || !(Symbol.iterator in value)) {
          throw new LogRecordError(column, `expected ${kind === "set" ? "an iterable" : "an array"}`);
        }
        const elements = [...(value as Iterable<unknown>)].map(convertElement);
        return kind === "set" ? LogValues.set(elements) : LogValues.vector(elements);
      }),
    });
  }
  return flat;
}

/** A record, or a nested record, as a column's reader sees it. */
type Fields = Record<string, unknown> | null | undefined;

/** Reads a column's value from a record: `path` is `["id", "orig_h"]` for `id.orig_h`; undefined when missing. */
export function valueReader(path: readonly string[]): (record: unknown) => unknown {
  const [first = "", second = ""] = path;
  // Top-level and once-nested columns (every column of Zeek's streams) read without a loop.
  if (path.length === 1) return (record) => (record as Fields)?.[first];
  if (path.length === 2) return (record) => ((record as Fields)?.[first] as Fields)?.[second];
  return (record) => {
    let value = record;
    for (const key of path) {
      if (value === null || value === undefined) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}
