/**
 * The log batch model of Zeek's `zeek-bin-serializer` (zeek/zeek `src/threading/SerialTypes.h`, `Field` and
 * `Value`). Every value keeps its numeric subtype, and an unset value its numeric type tag, so a decoded batch
 * re-encodes to the identical bytes.
 */

/** The wire name of the format, frame 2 of a log message (`BinarySerializationFormatLogSerializer`). */
export const ZEEK_BIN_SERIALIZER = "zeek-bin-serializer";

/** Zeek's `TypeTag` numbers (zeek/zeek `src/Type.h`), as written in the type and subtype of fields and values. */
export const TypeTag = {
  VOID: 0,
  BOOL: 1,
  INT: 2,
  COUNT: 3,
  DOUBLE: 4,
  TIME: 5,
  INTERVAL: 6,
  STRING: 7,
  PATTERN: 8,
  ENUM: 9,
  PORT: 10,
  ADDR: 11,
  SUBNET: 12,
  ANY: 13,
  TABLE: 14,
  RECORD: 15,
  LIST: 16,
  FUNC: 17,
  FILE: 18,
  VECTOR: 19,
  OPAQUE: 20,
  TYPE: 21,
  ERROR: 22,
} as const;

/** One of Zeek's type tag numbers. Fields and values read from the wire may carry any int32, hence `number`. */
export type TypeTag = (typeof TypeTag)[keyof typeof TypeTag];

/** The types a log value can have, named as Zeek's log headers name them (`set` is Zeek's TABLE tag). */
export type LogValueType =
  | "bool"
  | "int"
  | "count"
  | "double"
  | "time"
  | "interval"
  | "string"
  | "enum"
  | "port"
  | "addr"
  | "subnet"
  | "set"
  | "vector"
  | "file"
  | "func";

/** The type tag of each log value type. These are the only tags Zeek's `Value::Read` accepts with a body. */
export const LOG_TYPE_TAGS: { readonly [T in LogValueType]: TypeTag } = {
  bool: TypeTag.BOOL,
  int: TypeTag.INT,
  count: TypeTag.COUNT,
  double: TypeTag.DOUBLE,
  time: TypeTag.TIME,
  interval: TypeTag.INTERVAL,
  string: TypeTag.STRING,
  enum: TypeTag.ENUM,
  port: TypeTag.PORT,
  addr: TypeTag.ADDR,
  subnet: TypeTag.SUBNET,
  set: TypeTag.TABLE,
  vector: TypeTag.VECTOR,
  file: TypeTag.FILE,
  func: TypeTag.FUNC,
};

/** The log value type of a type tag, or undefined for a tag that cannot carry a value (PATTERN, RECORD, …). */
export function logValueType(tag: number): LogValueType | undefined {
  return TYPES_BY_TAG.get(tag);
}

const TYPES_BY_TAG = new Map<number, LogValueType>(
  Object.entries(LOG_TYPE_TAGS).map(([name, tag]) => [tag, name as LogValueType]),
);

/** One column of a log stream: nested record columns arrive flattened (`id.orig_h`). */
export interface LogField {
  readonly name: string;
  /** Only the input framework sets it; log batches from Zeek never carry one. */
  readonly secondaryName?: string;
  /** The column's type tag. */
  readonly type: number;
  /** The element type of a set or vector column; VOID (0) for every other column. */
  readonly subtype: number;
  /** True when the column is `&optional`. Zeek does not enforce it: unset values appear in any column. */
  readonly optional: boolean;
}

/** What every present value has. */
interface PresentValue {
  readonly present: true;
  /** The value's subtype: Zeek writes VOID (0), even for sets and vectors (the column carries the element type). */
  readonly subtype: number;
}

/** Zeek `bool` (an int64 0 or 1 on the wire). */
export interface LogBool extends PresentValue {
  readonly type: "bool";
  readonly value: boolean;
}
/** Zeek `int`: signed 64-bit. */
export interface LogInt extends PresentValue {
  readonly type: "int";
  readonly value: bigint;
}
/** Zeek `count`: unsigned 64-bit. */
export interface LogCount extends PresentValue {
  readonly type: "count";
  readonly value: bigint;
}
/** Zeek `double`. */
export interface LogDouble extends PresentValue {
  readonly type: "double";
  readonly value: number;
}
/** Zeek `time`: seconds since the epoch, a double as Zeek stores it. */
export interface LogTime extends PresentValue {
  readonly type: "time";
  readonly value: number;
}
/** Zeek `interval`: seconds, a double. */
export interface LogInterval extends PresentValue {
  readonly type: "interval";
  readonly value: number;
}
/** Zeek `string`: text when the bytes are valid UTF-8, else the bytes. */
export interface LogString extends PresentValue {
  readonly type: "string";
  readonly value: string | Uint8Array;
}
/** Zeek `file`: the file's name (text, or bytes when not UTF-8). */
export interface LogFile extends PresentValue {
  readonly type: "file";
  readonly value: string | Uint8Array;
}
/** Zeek `func`: the function's description (text, or bytes when not UTF-8). */
export interface LogFunc extends PresentValue {
  readonly type: "func";
  readonly value: string | Uint8Array;
}
/** A Zeek enum value by its name, e.g. `Conn::LOG` or `tcp`. */
export interface LogEnum extends PresentValue {
  readonly type: "enum";
  readonly name: string;
}
/** Transport protocol of a port, by its wire number (0 unknown, 1 tcp, 2 udp, 3 icmp). */
export type LogPortProtocol = "unknown" | "tcp" | "udp" | "icmp";
/** Port protocols by their wire number (Zeek's `TransportProto`). */
export const LOG_PORT_PROTOCOLS: readonly LogPortProtocol[] = ["unknown", "tcp", "udp", "icmp"];
/** Zeek `port`. */
export interface LogPort extends PresentValue {
  readonly type: "port";
  readonly number: number;
  readonly protocol: LogPortProtocol;
}
/**
 * Zeek `addr` in text form. Dotted-quad text is sent as family 4, any other (IPv6) text as family 6, so an
 * IPv4-mapped address read from family 6 stays IPv6 text (`::ffff:102:304`).
 */
export interface LogAddr extends PresentValue {
  readonly type: "addr";
  readonly value: string;
}
/** Zeek `subnet`: network address and prefix length (0–32 for IPv4, 0–128 for IPv6). Host bits are kept as sent. */
export interface LogSubnet extends PresentValue {
  readonly type: "subnet";
  readonly address: string;
  readonly length: number;
}
/** Zeek `set`, elements in the order sent (Zeek's hash iteration order, not sorted). */
export interface LogSet extends PresentValue {
  readonly type: "set";
  readonly elements: readonly LogValue[];
}
/** Zeek `vector`. */
export interface LogVector extends PresentValue {
  readonly type: "vector";
  readonly elements: readonly LogValue[];
}
/** An unset value (`present` false, no body). Zeek gives it the column's type tag; any int32 is accepted. */
export interface LogAbsent {
  readonly present: false;
  readonly tag: number;
  readonly subtype: number;
}

/** A value that is present. */
export type LogPresentValue =
  | LogBool
  | LogInt
  | LogCount
  | LogDouble
  | LogTime
  | LogInterval
  | LogString
  | LogEnum
  | LogPort
  | LogAddr
  | LogSubnet
  | LogSet
  | LogVector
  | LogFile
  | LogFunc;

/** One log value (Zeek's `threading::Value`): check `present`, then switch on `type`. */
export type LogValue = LogPresentValue | LogAbsent;

/** The type tag a value is written with. */
export function logValueTag(value: LogValue): number {
  return value.present ? LOG_TYPE_TAGS[value.type] : value.tag;
}

/** One `zeek-bin-serializer` batch: what a node PUSHes to a logger (frame 3 of a log message). */
export interface LogBatch {
  /** The stream's `Log::ID` enum name, e.g. `Conn::LOG`. */
  readonly stream: string;
  /** The writer's `Log::Writer` enum name, e.g. `Log::WRITER_ASCII`. */
  readonly writer: string;
  /** The filter's name, e.g. `default`. */
  readonly filter: string;
  /** The log path, e.g. `conn`. */
  readonly path: string;
  readonly fields: readonly LogField[];
  /** Row-major: each record holds one value per field, in field order. */
  readonly records: readonly (readonly LogValue[])[];
}

/** A decoded batch, with the number of bytes after it (Zeek ignores them; a logger may want to count them). */
export interface DecodedLogBatch extends LogBatch {
  readonly trailingBytes: number;
}
